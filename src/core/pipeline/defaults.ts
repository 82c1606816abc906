/**
 * The one place TrainSpec defaults live (the CLI and the VS Code command both start from here).
 * Free of TensorFlow.js: the engine's settings come from model/defaults.ts.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { TrainSpec } from '../model/types';
import { DEFAULT_TRAIN_SETTINGS } from '../model/defaults';

export { ACTIVATIONS, FIT_TARGETS, NORMALIZATIONS, SpecError, parseGradColumn, validateSpec } from './spec';

/**
 * A full TrainSpec: the engine's tuned training settings (DEFAULT_TRAIN_SETTINGS in
 * src/core/model/train.ts, documented in docs/model-engine.md) plus empty data fields, overridden by
 * the defined fields of `overrides`. The CLI and the VS Code command both start from here.
 * The batch size given here is the cap: when the caller gives none, `runTrain` lowers it for small
 * data sets (`defaultBatchSize`). The learning rate does not follow the network: with one setting
 * changed (width 16–256, depth 3, tanh/sin/softplus) the default rate stays within run-to-run noise of
 * the best rate at the same budget (bench/defaults, docs/benchmarks.md).
 */
export function defaultTrainSpec(overrides: Partial<TrainSpec> = {}): TrainSpec {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<TrainSpec>;
  return {
    data: '',
    inputs: [],
    outputs: [],
    grads: [],
    references: [],
    ...DEFAULT_TRAIN_SETTINGS,
    hidden: [...DEFAULT_TRAIN_SETTINGS.hidden],
    outDir: '',
    fit: 'both',
    ...defined,
  };
}

/** Where a model goes when no folder is given: `<data folder>/models/<data file stem>`. */
export function defaultOutDir(dataPath: string): string {
  return join(dirname(dataPath), 'models', basename(dataPath, extname(dataPath)));
}
