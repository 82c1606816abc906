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

/** The learning rate the engine uses when none is given, for this network (see docs/model-engine.md). */
export function defaultLearningRate(_net: Pick<TrainSettings, 'hidden' | 'activation'>): number {
  return DEFAULT_TRAIN_SETTINGS.learningRate;
}
