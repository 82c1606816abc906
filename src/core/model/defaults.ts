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

/** The smallest batch `defaultBatchSize` chooses for a small file (below it, steps get too noisy to help). */
export const MIN_AUTO_BATCH = 8;
/** Up to this many training rows the batch is the small-file rule's and the epochs the default. */
export const LARGE_DATA_ROWS = 100_000;
/** The batch size never grows past this (the largest step of a wide network stays a few MB). */
export const MAX_DEFAULT_BATCH = 16_384;
/** The epoch count never drops below this. */
export const MIN_DEFAULT_EPOCHS = 20;

/**
 * Rows per batch for a file of up to LARGE_DATA_ROWS training rows when the user gives none: the
 * default batch (64), but at most a quarter of the training rows (and at least MIN_AUTO_BATCH), so a
 * small data set gets four optimizer steps per epoch instead of one. bench/defaults shows why: at the
 * default budget a one-batch-per-epoch run under-trains every network and activation
 * (docs/benchmarks.md, "Default settings when one changes").
 */
export function defaultBatchSize(trainRows: number): number {
  return Math.max(1, Math.min(DEFAULT_TRAIN_SETTINGS.batchSize, Math.max(MIN_AUTO_BATCH, Math.ceil(trainRows / 4))));
}

/**
 * Batch size and epochs for `rows` training rows, for the settings the user left open (the caller
 * applies each only when it was not chosen). Both ends of the data size in one place:
 * - up to LARGE_DATA_ROWS: the default epochs, and the batch of `defaultBatchSize` (a quarter of the
 *   rows, 8..64: 64 from 256 rows on);
 * - above: the batch doubles with every doubling of the rows (64·2^⌈log2(rows/100,000)⌉: 1M rows →
 *   1,024, 5M → 4,096) so that an epoch stays about 1,600 steps or fewer — minutes, not hours
 *   (docs/benchmarks.md, "Large data") — and the epochs shrink in proportion
 *   (1,000·100,000/rows, at least MIN_DEFAULT_EPOCHS: 1M → 100, 5M → 20), so that the run passes about
 *   the same number of rows through the network as a 100,000-row run with the defaults.
 */
export function dataScaledSettings(rows: number): { batchSize: number; epochs: number } {
  const base = DEFAULT_TRAIN_SETTINGS;
  if (!(rows > LARGE_DATA_ROWS)) return { batchSize: defaultBatchSize(rows), epochs: base.epochs };
  const doublings = Math.ceil(Math.log2(rows / LARGE_DATA_ROWS));
  return {
    batchSize: Math.min(MAX_DEFAULT_BATCH, base.batchSize * 2 ** doublings),
    epochs: Math.max(MIN_DEFAULT_EPOCHS, Math.round((base.epochs * LARGE_DATA_ROWS) / rows)),
  };
}
