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

/** Functions whose result carries no gradient to their input. */
export const TF_CUT_FUNCTIONS = new Set(['tensorflow.stop_gradient', 'tensorflow.round', 'tensorflow.math.round', 'tensorflow.argmax', 'tensorflow.math.argmax', 'tensorflow.sign']);

/** Keras layers and activation names that are piecewise linear. */
export const KERAS_PIECEWISE_LINEAR = new Set(['ReLU', 'LeakyReLU', 'PReLU', 'relu', 'relu6', 'leaky_relu', 'MaxPooling1D', 'MaxPooling2D']);

/** TensorFlow functions (by last name) whose gradient is infinite or NaN somewhere: sqrt/log at 0, overflow. */
export const TF_RISKY = new Set(['sqrt', 'rsqrt', 'log', 'log1p', 'pow', 'divide', 'truediv', 'reciprocal', 'norm', 'acos', 'asin', 'exp', 'xlogy']);
