/**
 * The autograd analysis of a file, computed once per semantic model and shared by every rule.
 * See interpreter.ts for what it does and docs/lint-engine.md for how rules use it.
 */
import type { SemanticModel } from '../semantic';
import { Analysis, Interpreter, type AnalysisOptions } from './interpreter';

export { Analysis, calledNamesOf } from './interpreter';
export type * from './events';
export * from './values';

const cache = new WeakMap<SemanticModel, Analysis>();

/** Knobs for tests and benchmarks: a fixed work budget (evaluation steps) instead of the size-scaled one. */
export const analysisTuning: { budget?: number } = {};

/** Options for the analysis of one model (the per-group re-lint gives the whole file's called names). */
const modelOptions = new WeakMap<SemanticModel, AnalysisOptions>();

export function setAnalysisOptions(model: SemanticModel, opts: AnalysisOptions): void {
  modelOptions.set(model, opts);
}

/**
 * Milliseconds spent in `analyse` while `on` (Engine.ruleTimes sets it): the per-rule timing mode charges the
 * analysis to itself rather than to the first rule that asks for it.
 */
export const analysisClock = { on: false, ms: 0 };

export function analyse(model: SemanticModel, opts?: AnalysisOptions): Analysis {
  let a = cache.get(model);
  if (!a) {
    const base = opts ?? modelOptions.get(model);
    const t0 = analysisClock.on ? performance.now() : 0;
    a = new Interpreter(model, analysisTuning.budget !== undefined && !opts ? { ...base, budget: analysisTuning.budget } : base).run();
    if (analysisClock.on) analysisClock.ms += performance.now() - t0;
    cache.set(model, a);
  }
  return a;
}

/** The analysis of `model` if a rule has asked for it, without computing it. */
export function analysisIfComputed(model: SemanticModel): Analysis | undefined {
  return cache.get(model);
}
