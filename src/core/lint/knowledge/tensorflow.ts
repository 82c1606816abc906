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

/**
 * `@tf.custom_gradient`: the decorated function returns `(value, grad_fn)`, but calling the result gives the
 * value only (https://www.tensorflow.org/api_docs/python/tf/custom_gradient).
 */
export const TF_CUSTOM_GRADIENT = new Set(['tensorflow.custom_gradient', 'tensorflow.compat.v1.custom_gradient']);

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

/**
 * Uniform random draws of a given shape (first argument or `shape=`): as a gradient penalty's interpolation
 * weight, a draw shaped like the whole batch gives one weight per element instead of one per sample
 * (https://www.tensorflow.org/api_docs/python/tf/random/uniform).
 */
export const TF_UNIFORM_RANDOM_SHAPED = new Set([
  'tensorflow.random.uniform', 'tensorflow.random_uniform', 'tensorflow.compat.v1.random_uniform', 'tensorflow.compat.v1.random.uniform',
  'tensorflow.keras.backend.random_uniform',
]);

/** The whole dynamic or static shape of a tensor (`tf.shape(x)`, `K.shape(x)`, `K.int_shape(x)`). */
export const TF_SHAPE_OF = new Set(['tensorflow.shape', 'tensorflow.keras.backend.shape', 'tensorflow.keras.backend.int_shape', 'tensorflow.compat.v1.shape']);

/** Functions whose result carries no gradient to their input (meant or not). */
export const TF_CUT_FUNCTIONS = new Set([...TF_STOP_GRADIENT, ...TF_NO_GRADIENT]);

/**
 * `tf.numpy_function(func, inp, Tout)`: runs `func` on NumPy arrays; "you cannot take gradients through a numpy_function"
 * (https://www.tensorflow.org/api_docs/python/tf/numpy_function). Its inputs are the second argument.
 */
export const TF_NUMPY_FUNCTIONS = new Set(['tensorflow.numpy_function', 'tensorflow.compat.v1.numpy_function']);

/** Casts: to an integer or boolean dtype they have no gradient (TensorFlow differentiates only floating-point values). */
export const TF_CASTS = new Set(['tensorflow.cast', 'tensorflow.dtypes.cast', 'tensorflow.keras.backend.cast']);

/**
 * Keras layers and activation names that are piecewise linear: their second derivative is zero wherever it
 * exists (https://keras.io/api/layers/activations/, https://keras.io/api/layers/activation_layers/).
 */
export const KERAS_PIECEWISE_LINEAR = new Set([
  'ReLU', 'LeakyReLU', 'PReLU', 'ThresholdedReLU', 'relu', 'relu6', 'leaky_relu', 'hard_tanh', 'hard_sigmoid', 'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D',
  'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalMaxPooling3D',
]);

/**
 * Keras activation names and activation layers with a nonzero second derivative: a model with one of them
 * is not piecewise linear (`hard_silu`/`hard_swish` are piecewise quadratic). An activation not named in
 * either set (a function of the user's, a name chosen at run time) counts as curved too.
 */
export const KERAS_SMOOTH = new Set([
  'tanh', 'sigmoid', 'softplus', 'softsign', 'swish', 'silu', 'gelu', 'elu', 'selu', 'celu', 'exponential', 'mish', 'softmax', 'log_softmax',
  'log_sigmoid', 'sin', 'cos', 'hard_silu', 'hard_swish', 'ELU', 'Softmax',
]);

/**
 * TensorFlow functions that are piecewise linear in their inputs (rectifiers, absolute value, elementwise
 * max/min, clipping, max pooling): a second derivative through them alone is zero almost everywhere
 * (https://www.tensorflow.org/api_docs/python/tf/nn/relu; tensorflow issue 9398: "This is a linear
 * function whose second derivative is zero" of a LeakyReLU critic). By qualified name.
 */
export const TF_PIECEWISE_LINEAR = new Set([
  'tensorflow.nn.relu', 'tensorflow.nn.relu6', 'tensorflow.nn.leaky_relu', 'tensorflow.nn.crelu', 'tensorflow.keras.activations.relu',
  'tensorflow.keras.activations.relu6', 'tensorflow.keras.activations.leaky_relu', 'tensorflow.keras.backend.relu', 'tensorflow.abs',
  'tensorflow.math.abs', 'tensorflow.maximum', 'tensorflow.math.maximum', 'tensorflow.minimum', 'tensorflow.math.minimum',
  'tensorflow.clip_by_value', 'tensorflow.keras.backend.maximum', 'tensorflow.keras.backend.minimum', 'tensorflow.keras.backend.abs',
  'tensorflow.keras.backend.clip', 'tensorflow.nn.max_pool', 'tensorflow.nn.max_pool1d', 'tensorflow.nn.max_pool2d', 'tensorflow.nn.max_pool3d',
]);

/**
 * Attributes of a Keras layer or model that are its weights (`layer.kernel`, `model.trainable_variables`):
 * Variables, so a derivative with respect to them is one with respect to the weights, not the input
 * (https://keras.io/api/layers/core_layers/dense/, https://keras.io/api/layers/base_layer/).
 */
export const KERAS_WEIGHT_ATTRIBUTES = new Set([
  'kernel', 'bias', 'recurrent_kernel', 'depthwise_kernel', 'pointwise_kernel', 'embeddings', 'gamma', 'beta',
  'trainable_variables', 'trainable_weights', 'weights', 'variables',
]);

/** TensorFlow functions (by last name) whose gradient is infinite or NaN somewhere: sqrt/log at 0, overflow. */
export const TF_RISKY = new Set(['sqrt', 'rsqrt', 'log', 'log1p', 'pow', 'divide', 'truediv', 'reciprocal', 'norm', 'global_norm', 'acos', 'asin', 'atanh', 'exp', 'xlogy', 'atan2']);

/**
 * TF1's functional layers (`tf.layers.dense(x, 10)`, `tf.contrib.layers.fully_connected(x, 10)`): each call creates the
 * Variables of a new layer, so its output depends on trainable weights (what `optimizer.minimize(loss)` differentiates).
 */
export const TF1_FUNCTIONAL_LAYERS = new Set([
  ...['dense', 'conv1d', 'conv2d', 'conv3d', 'conv2d_transpose', 'conv3d_transpose', 'separable_conv2d'].flatMap((n) => [`tensorflow.layers.${n}`, `tensorflow.compat.v1.layers.${n}`]),
  'tensorflow.contrib.layers.fully_connected', 'tensorflow.contrib.layers.conv2d', 'tensorflow.contrib.layers.conv2d_transpose',
]);

/**
 * How Keras calls a loss given to `Model.compile(loss=...)` (also in a list or dict of losses): with exactly two
 * positional arguments, the batch's targets and the model's predictions (Keras 2 and 3, `Model.compile` docs:
 * "a function with signature `loss = fn(y_true, y_pred)`"). `compile(optimizer, loss, ...)`: the loss is also the
 * second positional argument.
 */
export const KERAS_LOSS_ARGUMENTS = ['y_true', 'y_pred'] as const;
export const KERAS_COMPILE_LOSS_POSITION = 1;
/** Attributes and methods of a Keras model that no tensor has: a loss parameter used so is taken to be a model. */
export const KERAS_MODEL_ONLY_ATTRIBUTES = new Set(['trainable_variables', 'trainable_weights', 'predict', 'fit', 'evaluate', 'layers', 'get_layer', 'summary', 'compile', 'predict_on_batch']);
