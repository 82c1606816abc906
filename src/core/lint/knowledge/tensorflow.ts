/**
 * What TensorFlow / Keras do to gradients, as data for the analysis. TensorFlow is not installable
 * where this project is tested: every fact follows the documentation
 * (https://www.tensorflow.org/guide/autodiff, https://www.tensorflow.org/api_docs/python/tf/GradientTape,
 * https://www.tensorflow.org/api_docs/python/tf/stop_gradient).
 */
import type { DerivativeSpec } from './torch';

export const TF_TAPE_CLASSES = new Set(['tensorflow.GradientTape', 'tensorflow.autodiff.GradientTape', 'tensorflow.compat.v2.GradientTape']);

export const TF_DERIVATIVES: Readonly<Record<string, DerivativeSpec>> = {
  'tensorflow.GradientTape.gradient': {
    framework: 'tensorflow', returns: 'value', params: ['target', 'sources', 'output_gradients', 'unconnected_gradients'], outputs: 'target', inputs: 'sources',
    gradOutputs: 'output_gradients', shape: 'gradient', order: 1, scalarOutput: false,
  },
  'tensorflow.GradientTape.jacobian': {
    framework: 'tensorflow', returns: 'value', params: ['target', 'sources', 'unconnected_gradients', 'parallel_iterations', 'experimental_use_pfor'], outputs: 'target',
    inputs: 'sources', shape: 'jacobian', order: 1, scalarOutput: false,
  },
  'tensorflow.GradientTape.batch_jacobian': {
    framework: 'tensorflow', returns: 'value', params: ['target', 'source', 'unconnected_gradients', 'parallel_iterations', 'experimental_use_pfor'], outputs: 'target',
    inputs: 'source', shape: 'jacobian', order: 1, scalarOutput: false,
  },
  'tensorflow.gradients': {
    framework: 'tensorflow', returns: 'value', params: ['ys', 'xs', 'grad_ys', 'name', 'gate_gradients', 'aggregation_method', 'stop_gradients'], outputs: 'ys', inputs: 'xs',
    gradOutputs: 'grad_ys', shape: 'gradient', order: 1, scalarOutput: false,
  },
  'tensorflow.keras.backend.gradients': {
    framework: 'tensorflow', returns: 'value', params: ['loss', 'variables'], outputs: 'loss', inputs: 'variables', shape: 'gradient', order: 1, scalarOutput: false,
  },
};

/**
 * TensorFlow 1's eager gradient functions (`tfe.gradients_function(f)`): a function that returns the
 * list of gradients of `f` with respect to its arguments. Like `tape.gradient`, a non-scalar value of `f`
 * is summed (https://www.tensorflow.org/versions/r1.15/api_docs/python/tf/contrib/eager/gradients_function;
 * tensorflow issue 14641: "we differentiate only scalar-valued functions").
 */
export const TF_GRADIENT_FUNCTIONS: Readonly<Record<string, DerivativeSpec>> = {
  'tensorflow.contrib.eager.gradients_function': {
    framework: 'tensorflow', returns: 'function', params: ['f', 'args'], func: 'f', inputs: 'args', shape: 'gradient', order: 1, scalarOutput: false,
  },
};

/** Stops the gradient on purpose (`tf.stop_gradient`): a cut that is meant. */
export const TF_STOP_GRADIENT = new Set(['tensorflow.stop_gradient', 'tensorflow.keras.backend.stop_gradient']);

/**
 * Operations without a gradient: registered as not differentiable in TensorFlow (`tf.no_gradient`:
 * "ops such as tf.size() that are not differentiable"; ArgMax has no registered gradient, tensorflow
 * issue 2177), or piecewise constant (round, floor, ceil, sign: zero everywhere it exists), or
 * boolean-valued (comparisons). What depends on a trainable value only through one of them gets a None
 * (or zero) gradient; Keras reports "An operation has None for gradient ... Common ops without
 * gradient: K.argmax, K.round, K.eval" (keras issue 11157). By qualified name, `tf.*`, `tf.math.*` and
 * the Keras backend. `argsort` returns integer indices (its result has no gradient; keras issue 16663:
 * a ranking loss made of `tf.argsort(y_pred)` gives "No gradients provided for any variable").
 */
export const TF_NO_GRADIENT = new Set(
  [
    'argmax', 'argmin', 'round', 'floor', 'ceil', 'sign', 'equal', 'not_equal', 'greater', 'greater_equal', 'less', 'less_equal',
    'is_nan', 'is_inf', 'is_finite', 'logical_and', 'logical_or', 'logical_not', 'size', 'shape', 'rank',
  ]
    .flatMap((n) => [`tensorflow.${n}`, `tensorflow.math.${n}`, `tensorflow.keras.backend.${n}`])
    .concat(['tensorflow.argsort']),
);

/** Functions whose result carries no gradient to their input (meant or not). */
export const TF_CUT_FUNCTIONS = new Set([...TF_STOP_GRADIENT, ...TF_NO_GRADIENT]);

/** Casts: to an integer or boolean dtype they have no gradient (TensorFlow differentiates only floating-point values). */
export const TF_CASTS = new Set(['tensorflow.cast', 'tensorflow.dtypes.cast', 'tensorflow.keras.backend.cast']);

/** Keras layers and activation names that are piecewise linear. */
export const KERAS_PIECEWISE_LINEAR = new Set(['ReLU', 'LeakyReLU', 'PReLU', 'relu', 'relu6', 'leaky_relu', 'MaxPooling1D', 'MaxPooling2D']);

/** TensorFlow functions (by last name) whose gradient is infinite or NaN somewhere: sqrt/log at 0, overflow. */
export const TF_RISKY = new Set(['sqrt', 'rsqrt', 'log', 'log1p', 'pow', 'divide', 'truediv', 'reciprocal', 'norm', 'acos', 'asin', 'exp', 'xlogy']);
