/**
 * What JAX's transforms do, as data for the analysis. JAX is not installable where this project is
 * tested: every fact follows the documentation (https://docs.jax.dev/en/latest/_autosummary/jax.grad.html,
 * https://docs.jax.dev/en/latest/_autosummary/jax.vmap.html, the "gradients with where" FAQ entry).
 */
import type { DerivativeSpec } from './torch';

const T = (p: Partial<DerivativeSpec>): DerivativeSpec => ({
  framework: 'jax', returns: 'function', params: ['fun', 'argnums', 'has_aux', 'holomorphic', 'allow_int', 'reduce_axes'], func: 'fun',
  shape: 'gradient', order: 1, scalarOutput: true, ...p,
});

export const JAX_DERIVATIVES: Readonly<Record<string, DerivativeSpec>> = {
  'jax.grad': T({}),
  'jax.value_and_grad': T({}),
  'jax.jacfwd': T({ shape: 'jacobian', scalarOutput: false }),
  'jax.jacrev': T({ shape: 'jacobian', scalarOutput: false }),
  'jax.jacobian': T({ shape: 'jacobian', scalarOutput: false }),
  'jax.hessian': T({ shape: 'hessian', order: 2, scalarOutput: false }),
};

/** Transforms that map a function over a batch axis or compile it (no derivative). */
export const JAX_MAPS = new Set(['jax.vmap', 'jax.pmap', 'jax.jit', 'jax.checkpoint', 'jax.remat']);

/** Functions whose result carries no gradient. */
export const JAX_CUT_FUNCTIONS = new Set(['jax.lax.stop_gradient', 'jax.numpy.round', 'jax.numpy.floor', 'jax.numpy.argmax', 'jax.numpy.sign']);

/**
 * `jax.random` samplers: fresh arrays of data (no dependence on anything differentiated), of the shape
 * given (https://docs.jax.dev/en/latest/jax.random.html). Integer- and boolean-valued ones apart.
 */
export const JAX_RANDOM_FLOAT = new Set([
  'normal', 'uniform', 'truncated_normal', 'exponential', 'gamma', 'beta', 'laplace', 'logistic', 'cauchy', 'gumbel',
  'multivariate_normal', 'dirichlet', 'orthogonal', 'ball', 'rademacher', 't', 'chisquare', 'lognormal', 'pareto',
  'maxwell', 'double_sided_maxwell', 'weibull_min', 'generalized_normal',
].map((n) => `jax.random.${n}`));
export const JAX_RANDOM_DISCRETE = new Set(['randint', 'bernoulli', 'categorical', 'choice', 'permutation', 'poisson', 'binomial'].map((n) => `jax.random.${n}`));

/**
 * Model objects that JAX code calls directly (Equinox modules, Flax NNX modules are callables): where their
 * output width is given. Their output has that trailing axis — shape `(k,)` for one sample — so `jax.grad`
 * of the object itself raises "Gradient only defined for scalar-output functions" (equinox issue 213;
 * Equinox's `out_size="scalar"` is the scalar form). Constructors not listed count by keyword only.
 */
export const JAX_MODEL_OUTPUT_ARG: Readonly<Record<string, { index: number; name: string }>> = {
  'equinox.nn.MLP': { index: 1, name: 'out_size' },
  'equinox.nn.Linear': { index: 1, name: 'out_features' },
  'flax.nnx.Linear': { index: 1, name: 'out_features' },
  'flax.nnx.MLP': { index: 1, name: 'out_features' },
};
export const MODEL_OUTPUT_KEYWORDS = new Set(['out_size', 'out_features', 'output_size']);

/**
 * Operations whose derivative is infinite or NaN somewhere in their domain (sqrt, cbrt and norms at 0, logs
 * and reciprocals at 0, arccos/arcsin at ±1): the array-API spellings (`jnp.linalg.vector_norm`) and the
 * base-2/10 logs as well as the NumPy ones.
 */
export const JAX_RISKY = new Set([
  'jax.numpy.sqrt', 'jax.numpy.cbrt', 'jax.numpy.log', 'jax.numpy.log2', 'jax.numpy.log10', 'jax.numpy.log1p', 'jax.numpy.linalg.norm',
  'jax.numpy.linalg.vector_norm', 'jax.numpy.arccos', 'jax.numpy.arcsin', 'jax.numpy.acos', 'jax.numpy.asin', 'jax.numpy.power', 'jax.numpy.pow',
  'jax.numpy.divide', 'jax.numpy.true_divide', 'jax.numpy.reciprocal', 'jax.lax.rsqrt', 'jax.lax.sqrt', 'jax.lax.log',
]);
export const JAX_PIECEWISE_LINEAR = new Set(['jax.nn.relu', 'jax.nn.relu6', 'jax.nn.leaky_relu', 'jax.numpy.abs', 'jax.numpy.maximum', 'jax.numpy.minimum', 'jax.numpy.clip']);
