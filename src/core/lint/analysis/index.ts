/**
 * The autograd analysis of a file, computed once per semantic model and shared by every rule.
 * See interpreter.ts for what it does and docs/lint-engine.md for how rules use it.
 */
import type { SemanticModel } from '../semantic';
import { Analysis, Interpreter, type AnalysisOptions } from './interpreter';

export { Analysis } from './interpreter';
export type * from './events';
export * from './values';

const cache = new WeakMap<SemanticModel, Analysis>();

/** Knobs for tests and benchmarks: a fixed work budget (evaluation steps) instead of the size-scaled one. */
export const analysisTuning: { budget?: number } = {};

export function analyse(model: SemanticModel, opts?: AnalysisOptions): Analysis {
  let a = cache.get(model);
  if (!a) {
    a = new Interpreter(model, opts ?? (analysisTuning.budget !== undefined ? { budget: analysisTuning.budget } : undefined)).run();
    cache.set(model, a);
  }
  return a;
}

/** The analysis of `model` if a rule has asked for it, without computing it. */
export function analysisIfComputed(model: SemanticModel): Analysis | undefined {
  return cache.get(model);
}
