/**
 * The engine's default training settings, in a module without TensorFlow.js so that the extension
 * host and the CLI's argument checks can read them without loading the engine.
 */
import type { Activation, Normalization, TrainSpec } from './types';

/** The settings of TrainSpec the engine uses. */
export type TrainSettings = Pick<TrainSpec, 'normalize' | 'hidden' | 'activation' | 'epochs' | 'batchSize' | 'learningRate' | 'gradWeight' | 'validationSplit' | 'patience' | 'seed'>;

/**
 * Defaults chosen so that the seed problems train well in seconds on 2 cores (see
 * docs/model-engine.md, "Default settings and why"): two hidden layers of 64 silu units, minmax to
 * [-1, 1], Adam 1e-2 with cosine decay to 1 % over 1000 epochs, batch 64, no validation split.
 * silu rather than tanh: at the same budget tanh fits the cubic of seed 002 5-10x worse in df/dx.
 */
export const DEFAULT_TRAIN_SETTINGS: Readonly<TrainSettings> = Object.freeze({
  normalize: 'minmax' as Normalization,
  hidden: [64, 64],
  activation: 'silu' as Activation,
  epochs: 1000,
  batchSize: 64,
  learningRate: 1e-2,
  gradWeight: 1,
  validationSplit: 0,
  patience: 0,
  seed: 0,
});

/**
 * Rows per batch when the user gives none: the default batch (64), but at most a quarter of the
 * training rows (and at least 8), so a small data set gets four optimizer steps per epoch instead of
 * one. bench/defaults shows why: at the default budget a one-batch-per-epoch run under-trains every
 * network and activation (docs/benchmarks.md, "Default settings when one changes").
 */
export function defaultBatchSize(trainRows: number): number {
  return Math.max(1, Math.min(DEFAULT_TRAIN_SETTINGS.batchSize, Math.max(MIN_AUTO_BATCH, Math.ceil(trainRows / 4))));
}
/** The smallest batch `defaultBatchSize` chooses (below it, steps get too noisy to help). */
export const MIN_AUTO_BATCH = 8;
