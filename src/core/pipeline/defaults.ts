/**
 * The one place TrainSpec defaults live (the CLI and the VS Code command both start from here).
 * Free of TensorFlow.js: the engine's settings come from model/defaults.ts.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { DataWarning, TrainSpec } from '../model/types';
import { DEFAULT_TRAIN_SETTINGS, LARGE_DATA_ROWS, dataScaledSettings } from '../model/defaults';

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

/**
 * Settings the user left open (`chosen` lacks them) scale with the data (dataScaledSettings): small files
 * get smaller batches, so that an epoch has several steps (quietly: that is what the default means);
 * large files get larger batches and fewer epochs, so that an epoch takes minutes, and the returned
 * warning says so. Changes `spec` in place. Shared by training and `--save-script`, so that a script run
 * elsewhere trains with the settings a run here would use.
 */
export function applyDataScaledDefaults(spec: TrainSpec, chosen: Partial<TrainSpec>, rowCount: number): DataWarning | null {
  const trainRows = rowCount - (spec.validationSplit > 0 ? Math.round(rowCount * spec.validationSplit) : 0);
  const scaled = dataScaledSettings(trainRows);
  const changed: string[] = [];
  if (chosen.batchSize === undefined && scaled.batchSize !== spec.batchSize) {
    changed.push(`batch size ${scaled.batchSize.toLocaleString('en-US')} (instead of ${spec.batchSize})`);
    spec.batchSize = scaled.batchSize;
  }
  if (chosen.epochs === undefined && scaled.epochs !== spec.epochs) {
    changed.push(`${scaled.epochs} epochs (instead of ${spec.epochs.toLocaleString('en-US')})`);
    spec.epochs = scaled.epochs;
  }
  if (!changed.length || trainRows <= LARGE_DATA_ROWS) return null;
  return {
    code: 'large-data-defaults',
    message: `${trainRows.toLocaleString('en-US')} training rows: ${changed.join(' and ')}, so that an epoch takes minutes rather than hours; set ${[chosen.batchSize === undefined ? '--batch-size' : '', chosen.epochs === undefined ? '--epochs' : ''].filter(Boolean).join(' and ')} to choose.`,
  };
}
