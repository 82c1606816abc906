/**
 * Types shared by the training engine, the analysis, the CLI, the VS Code commands and the panel.
 * Pure data: everything here survives `JSON.stringify` / structured clone (typed arrays included).
 */

export type Activation = 'tanh' | 'softplus' | 'silu' | 'sin' | 'relu';
export type Normalization = 'minmax' | 'standard' | 'none';
/**
 * What the loss is fitted to: `values` (value columns only; derivative columns are then only used to
 * check the model), `derivatives` (derivative columns only; value columns only to report value
 * metrics after the best constant offset), `both` (every column given; the default).
 */
export type FitTarget = 'values' | 'derivatives' | 'both';
/**
 * Initial weights (see docs/model-engine.md, "Initialisation"): `glorot` = Glorot-uniform weights and
 * zero biases; `fan-in` = weights and biases from U(±1/√fan_in) (PyTorch's nn.Linear default);
 * `siren` = for sin networks, the SIREN scheme (first layer U(±30/fan_in), later layers
 * U(±√(6/fan_in)), biases U(±1/√fan_in)); for other activations the same as `fan-in`.
 */
export type InitScheme = 'glorot' | 'fan-in' | 'siren';

/** A derivative column: d(output)/d(input) sampled in the data, in raw units. */
export interface GradColumn {
  output: string;
  input: string;
  column: string;
}

/** An analytic reference `output = expression` in the raw input names. */
export interface ReferenceExpr {
  output: string;
  expression: string;
}

export interface TrainSpec {
  /** Path of the CSV/TSV file. */
  data: string;
  inputs: string[];
  /** Outputs to model. An output needs a value column, derivative columns, or both. */
  outputs: string[];
  grads: GradColumn[];
  references: ReferenceExpr[];
  normalize: Normalization;
  hidden: number[];
  activation: Activation;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Weight of the derivative term of the loss relative to the value term. */
  gradWeight: number;
  validationSplit: number;
  /** Stop when validation loss has not improved for this many epochs (0 = never). */
  patience: number;
  seed: number;
  /** Output folder for the saved model. */
  outDir: string;
  /** What the loss is fitted to (see FitTarget); absent means `both`. */
  fit?: FitTarget;
  /** Initial weights (see InitScheme); absent means the engine's default. */
  init?: InitScheme;
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  valueLoss: number | null;
  gradLoss: number | null;
  valLoss: number | null;
  learningRate: number;
  elapsedMs: number;
}

export type RunStatus = 'running' | 'completed' | 'stopped-early' | 'cancelled' | 'failed';

export interface DataWarning {
  /** Stable code, e.g. `inputs-collinear`, `noisy-duplicates`, `relu-derivative-training`, `extrapolation`. */
  code: string;
  message: string;
}

export interface ValueMetrics {
  rmse: number;
  relL2: number;
  /**
   * Set when the model was not fitted to this output's values (a derivative-only fit determines an
   * output only up to a constant): the constant added to the predictions (mean of observed minus
   * predicted) before rmse and relL2 were computed.
   */
  offset?: number;
}

export interface DerivativeMetrics {
  relL2: number;
  rmse: number;
  maxAbs: number;
  /** Raw input values at the point of the largest absolute error. */
  maxAbsAt: Record<string, number>;
  medianRatio: number;
  /** What the model was compared with: `expression`, `column`, or `finite-difference`. */
  reference: 'expression' | 'column' | 'finite-difference';
}

/** The `--json` report of `train` and `analyze`. Keys of `derivatives` are `OUTPUT/INPUT`. */
export interface Report {
  inputs: string[];
  outputs: string[];
  value: Record<string, ValueMetrics>;
  derivatives: Record<string, DerivativeMetrics>;
  warnings: DataWarning[];
  modelDir: string | null;
  status?: RunStatus;
  epochs?: number;
  backend?: string;
  /** The training engine that ran (`tfjs` or `torch`), and why, in a sentence. */
  engine?: 'tfjs' | 'torch';
  engineNote?: string;
}

/**
 * Point-wise data behind the plots: one entry per evaluated point, column-major.
 * `derivatives[OUTPUT/INPUT]` holds model, reference and finite-difference arrays.
 */
export interface AnalysisSeries {
  inputs: Record<string, Float64Array>;
  /** Observed values per output (absent where the data has no value column). */
  observed: Record<string, Float64Array>;
  predicted: Record<string, Float64Array>;
  derivatives: Record<string, { model: Float64Array; reference: Float64Array | null; finiteDifference: Float64Array }>;
  /** Training range per input, for marking extrapolation. */
  trainingRange: Record<string, [number, number]>;
  /** Optional: the reference value per output at the evaluated points (e.g. from a formula). */
  referenceValue?: Record<string, Float64Array>;
  /** Optional: the training points' inputs (raw units), drawn over the error heat map. */
  trainingInputs?: Record<string, Float64Array>;
  /**
   * Optional: per input, the model evaluated along a line across that input's training range with
   * every other input held at its training mean (see SliceSeries).
   */
  slices?: Record<string, SliceSeries>;
}

/**
 * The model along one input with the other inputs fixed (`at`), evaluated on an even grid `x`.
 * `derivative[OUTPUT]` is d OUTPUT / d (this input) along the line; the reference arrays are present
 * for outputs with an analytic reference. Every array has the length of `x`.
 */
export interface SliceSeries {
  /** Values of the other inputs on the line (their training means). */
  at: Record<string, number>;
  x: Float64Array;
  predicted: Record<string, Float64Array>;
  derivative: Record<string, Float64Array>;
  referenceValue?: Record<string, Float64Array>;
  referenceDerivative?: Record<string, Float64Array>;
}
