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

/**
 * Functions whose result carries no gradient: `stop_gradient`, and the piecewise-constant ones, whose derivative JAX
 * defines as zero wherever it exists (rounding, `sign`, index-valued `argmax`/`argmin`/`argsort`, comparisons and
 * logical tests, which return booleans). A value reaching the output only through them gets a gradient of zeros.
 */
export const JAX_CUT_FUNCTIONS = new Set([
  'jax.lax.stop_gradient', 'jax.numpy.round', 'jax.numpy.around', 'jax.numpy.rint', 'jax.numpy.floor', 'jax.numpy.ceil', 'jax.numpy.trunc',
  'jax.numpy.fix', 'jax.numpy.sign', 'jax.numpy.argmax', 'jax.numpy.argmin', 'jax.numpy.argsort', 'jax.numpy.nanargmax', 'jax.numpy.nanargmin',
  'jax.numpy.searchsorted', 'jax.numpy.digitize', 'jax.numpy.floor_divide', 'jax.numpy.greater', 'jax.numpy.greater_equal', 'jax.numpy.less',
  'jax.numpy.less_equal', 'jax.numpy.equal', 'jax.numpy.not_equal', 'jax.numpy.isclose', 'jax.numpy.isnan', 'jax.numpy.isinf',
  'jax.numpy.isfinite', 'jax.numpy.logical_and', 'jax.numpy.logical_or', 'jax.numpy.logical_not', 'jax.numpy.logical_xor', 'jax.lax.round',
  'jax.lax.floor', 'jax.lax.ceil', 'jax.lax.sign', 'jax.lax.argmax', 'jax.lax.argmin', 'jax.numpy.heaviside',
]);

/** Cut functions whose result has another shape than their argument (indices along an axis). */
export const JAX_INDEX_FUNCTIONS = new Set([
  'jax.numpy.argmax', 'jax.numpy.argmin', 'jax.numpy.argsort', 'jax.numpy.nanargmax', 'jax.numpy.nanargmin', 'jax.numpy.searchsorted',
  'jax.numpy.digitize', 'jax.lax.argmax', 'jax.lax.argmin',
]);

/**
 * `jax.numpy`'s integer and boolean scalar types called as functions (`jnp.int32(x)`): a cast to that dtype, which JAX
 * differentiates as zero (the integer values are piecewise constant in `x`; JAX's "grad limitations": integer casting
 * gives zero gradients).
 */
export const JAX_INTEGER_TYPES = new Set(
  ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool_'].map((n) => `jax.numpy.${n}`),
);

/**
 * The arguments of discrete `jax.random` samplers that set the distribution (position, keyword). The draws are
 * integers or booleans (`bernoulli`: "A random array with boolean dtype"; `categorical`: "with int dtype"), piecewise
 * constant in these arguments: JAX gives no derivative through them, so a loss made of the draws has a zero gradient with
 * respect to the probabilities or logits (jax-ml/jax#11606, #17556). `choice`'s `a` is gathered (differentiable): only its
 * `p` is here.
 */
export const JAX_RANDOM_DISTRIBUTION_ARGS: Readonly<Record<string, readonly [number, string][]>> = {
  'jax.random.bernoulli': [[1, 'p']],
  'jax.random.categorical': [[1, 'logits']],
  'jax.random.choice': [[4, 'p']],
  'jax.random.poisson': [[1, 'lam']],
  'jax.random.binomial': [[1, 'n'], [2, 'p']],
};

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
 * and reciprocals at 0, arccos/arcsin at ±1, arctan2 at the origin): the array-API spellings (`jnp.linalg.vector_norm`) and the
 * base-2/10 logs as well as the NumPy ones.
 */
export const JAX_RISKY = new Set([
  'jax.numpy.sqrt', 'jax.numpy.cbrt', 'jax.numpy.log', 'jax.numpy.log2', 'jax.numpy.log10', 'jax.numpy.log1p', 'jax.numpy.linalg.norm',
  'jax.numpy.linalg.vector_norm', 'jax.numpy.arccos', 'jax.numpy.arcsin', 'jax.numpy.acos', 'jax.numpy.asin', 'jax.numpy.arctanh', 'jax.numpy.atanh', 'jax.numpy.power', 'jax.numpy.pow',
  'jax.numpy.divide', 'jax.numpy.true_divide', 'jax.numpy.reciprocal', 'jax.lax.rsqrt', 'jax.lax.sqrt', 'jax.lax.log',
  // arctan2(y, x): its partial derivatives x / (x² + y²) and -y / (x² + y²) are 0/0 at the origin (as `torch.atan2`).
  'jax.numpy.arctan2', 'jax.numpy.atan2', 'jax.lax.atan2',
]);
export const JAX_PIECEWISE_LINEAR = new Set(['jax.nn.relu', 'jax.nn.relu6', 'jax.nn.leaky_relu', 'jax.numpy.abs', 'jax.numpy.maximum', 'jax.numpy.minimum', 'jax.numpy.clip']);

/**
 * Transforms that take `has_aux=True` for a function returning an `(output, aux)` pair, and the keyword
 * its function is passed by (first positional otherwise). JAX raises "expected function with aux output to
 * return a two-element tuple" when it is not one (https://docs.jax.dev/en/latest/_autosummary/jax.grad.html,
 * jax.vjp, jax.jvp; Equinox's filter_grad/filter_value_and_grad and Flax NNX's grad/value_and_grad pass
 * `has_aux` on to JAX's).
 */
export const JAX_HAS_AUX_TRANSFORMS = new Set([
  'jax.grad', 'jax.value_and_grad', 'jax.jacfwd', 'jax.jacrev', 'jax.jacobian', 'jax.hessian', 'jax.vjp', 'jax.jvp',
  'equinox.filter_grad', 'equinox.filter_value_and_grad', 'equinox.filter_jacfwd', 'equinox.filter_jacrev', 'equinox.filter_vjp',
  'flax.nnx.grad', 'flax.nnx.value_and_grad',
]);

/**
 * Functions whose result is one array (never a tuple or list): reductions, elementwise functions and
 * losses, by their last name component under `jax.numpy`, `numpy`, `jax.nn`, `jax.scipy.special`, `optax`.
 * Functions that return tuples or lists (`linalg.svd`/`eigh`/`qr`/`slogdet`, `split`, `meshgrid`, `unique`,
 * `histogram`, `divmod`, `frexp`, `modf`, `nonzero`, `gradient`, `lax.scan`/`cond`/`while_loop`) are not here.
 */
export const SINGLE_ARRAY_FUNCTIONS = new Set([
  'sum', 'mean', 'max', 'min', 'amax', 'amin', 'prod', 'std', 'var', 'median', 'average', 'nansum', 'nanmean', 'norm',
  'dot', 'vdot', 'inner', 'matmul', 'einsum', 'trace', 'logsumexp', 'square', 'abs', 'exp', 'log', 'log1p', 'expm1',
  'sqrt', 'tanh', 'sin', 'cos', 'sigmoid', 'softplus', 'relu', 'maximum', 'minimum', 'clip', 'power',
  'l2_loss', 'squared_error', 'huber_loss', 'softmax_cross_entropy', 'softmax_cross_entropy_with_integer_labels',
  'sigmoid_binary_cross_entropy', 'log_cosh', 'cosine_distance',
]);
export const SINGLE_ARRAY_MODULES = ['jax.numpy.', 'numpy.', 'jax.nn.', 'jax.scipy.special.', 'optax.'];

/** Array methods whose result is one array or scalar (a tuple or list has none of them). */
export const SINGLE_ARRAY_METHODS = new Set(['sum', 'mean', 'max', 'min', 'prod', 'std', 'var', 'item', 'squeeze', 'reshape', 'ravel', 'dot']);

/**
 * Transforms that differentiate in forward mode (JVPs): `jax.jvp`, `jax.jacfwd`, `jax.linearize`, `jet`, and
 * `jax.hessian`, which is `jacfwd(jacrev(f))` (https://docs.jax.dev/en/latest/_autosummary/jax.hessian.html); Equinox's
 * filtered versions call them. A function with a reverse-mode-only custom rule cannot go through them.
 */
export const JAX_FORWARD_MODE_TRANSFORMS = new Set([
  'jax.jvp', 'jax.jacfwd', 'jax.hessian', 'jax.linearize', 'jax.experimental.jet.jet', 'equinox.filter_jvp', 'equinox.filter_jacfwd',
  'equinox.filter_hessian',
]);

/**
 * Transforms and wrappers whose result calls the function they are given (so a forward-mode derivative of the
 * result differentiates that function too): derivatives of any mode, batching, compilation, `functools.partial`.
 */
export const JAX_FUNCTION_WRAPPERS = new Set([
  ...JAX_FORWARD_MODE_TRANSFORMS, 'jax.grad', 'jax.value_and_grad', 'jax.jacrev', 'jax.jacobian', 'jax.vmap', 'jax.pmap', 'jax.jit',
  'jax.checkpoint', 'jax.remat', 'functools.partial', 'equinox.filter_jit', 'equinox.filter_grad', 'equinox.filter_value_and_grad',
  'equinox.filter_vmap', 'equinox.filter_jacrev',
]);

/**
 * Decorators (or wrappers, `f = jax.custom_vjp(f)`) that give a function a reverse-mode-only derivative rule: "Forward-mode
 * autodiff cannot be used on the jax.custom_vjp function and will raise an error ... If you want to use both forward- and
 * reverse-mode, use jax.custom_jvp instead" (JAX's custom derivatives tutorial; the API page: "This decorator precludes
 * the use of forward-mode automatic differentiation"). `jax.custom_gradient` is the "convenience function for defining
 * custom VJP rules", Flax's `nn.custom_vjp` the "lifted version of jax.custom_vjp", and Equinox's `filter_custom_vjp` is
 * built on it. jaxopt's `implicit_diff.custom_root` / `custom_fixed_point` decorators define the solver's derivative with
 * `jax.custom_vjp` (jaxopt issue 474: `jax.hessian` of a `custom_root` solver raises the same error).
 */
export const JAX_REVERSE_ONLY_DECORATORS = new Set(['jax.custom_vjp', 'jax.custom_gradient', 'equinox.filter_custom_vjp', 'flax.linen.custom_vjp']);
export const JAX_REVERSE_ONLY_DECORATOR_FACTORIES = new Set(['jaxopt.implicit_diff.custom_root', 'jaxopt.implicit_diff.custom_fixed_point']);

/** Decorators that define a forward-mode rule: the function works under every mode, and its body is not what JAX differentiates. */
export const JAX_FORWARD_RULE_DECORATORS = new Set(['jax.custom_jvp', 'equinox.filter_custom_jvp']);

/**
 * Library functions whose derivative is a reverse-mode-only custom rule. `jax.experimental.ode.odeint` has a
 * `custom_vjp` (jax issue 3558: "odeint has a custom vjp rule ... we can't use forward-mode with it"; since pull
 * request 3566 `jacfwd` of it raises). `diffrax.diffeqsolve` is reverse-mode only with its default adjoint,
 * `RecursiveCheckpointAdjoint` ("Note that this cannot be forward-mode autodifferentiated ... Try using
 * diffrax.ForwardMode ... or diffrax.DirectAdjoint"), and with `BacksolveAdjoint` ("Using this method prevents
 * computing forward-mode autoderivatives"); see `DIFFRAX_REVERSE_ONLY_ADJOINTS`.
 */
export const JAX_REVERSE_ONLY_FUNCTIONS = new Set(['jax.experimental.ode.odeint']);
export const DIFFRAX_SOLVE = 'diffrax.diffeqsolve';
export const DIFFRAX_REVERSE_ONLY_ADJOINTS = new Set(['RecursiveCheckpointAdjoint', 'BacksolveAdjoint']);
/** The adjoints with which `diffeqsolve` supports forward mode (`DirectAdjoint`, `ForwardMode`, `ImplicitAdjoint`'s implicit JVP). */
export const DIFFRAX_FORWARD_ADJOINTS = new Set(['DirectAdjoint', 'ForwardMode', 'ImplicitAdjoint']);

/**
 * Module aliases a snippet uses for these libraries without importing them (`dfx.diffeqsolve`, `ode.odeint` in
 * diffrax issue 314 and jax issue 3558): read only for an unbound name, inside a function a JAX forward-mode transform
 * differentiates.
 */
export const REVERSE_ONLY_LIBRARY_ALIASES: Readonly<Record<string, string>> = { dfx: 'diffrax', diffrax: 'diffrax', ode: 'jax.experimental.ode' };

/**
 * Names a module-level `from jax.numpy import *` binds that the analysis has semantics for: the elementwise
 * functions, the array factories and the reductions. `jax.numpy` has no `__all__`, so the star import binds its
 * public names (https://docs.jax.dev/en/latest/jax.numpy.html), and they shadow the builtins `abs`, `sum`, `max`,
 * `min`, `round` and `pow` as NumPy's do. Other names stay unbound (unknown).
 */
export const JAX_NUMPY_STAR_NAMES: ReadonlySet<string> = new Set([
  'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh', 'arcsin', 'arccos', 'arctan', 'exp', 'expm1', 'log', 'log1p', 'sqrt',
  'abs', 'square', 'negative', 'sign', 'erf', 'cbrt', 'reciprocal', 'exp2', 'log2', 'log10',
  'array', 'asarray', 'zeros', 'ones', 'empty', 'full', 'linspace', 'arange', 'zeros_like', 'ones_like',
  'sum', 'mean', 'prod', 'max', 'min', 'std', 'var', 'dot', 'vdot', 'trace', 'stack', 'concatenate', 'where', 'power',
]);

/**
 * Equinox transforms that differentiate only the floating-point JAX arrays of their first argument (`eqx.is_inexact_array`
 * by default): a Python float or int there is static and its gradient is None ("By default, eqx.filter_grad will compute
 * gradients with respect to floating-point JAX arrays. (And in particular not int arrays, Python floats or anything
 * else.)", patrick-kidger/equinox#189).
 */
export const EQUINOX_ARRAY_ONLY_TRANSFORMS = new Set(['equinox.filter_grad', 'equinox.filter_value_and_grad']);

/**
 * The positional parameters of JAX's derivative transforms, in order (jax/_src/api.py), for arguments passed by
 * position. Their boolean flags (`has_aux`, `holomorphic`, `allow_int`) sit side by side, so a flag passed by position
 * lands in its neighbour: `jacrev(fun, argnums, holomorphic)` sets `has_aux` (jax-ml/jax#9969).
 */
export const JAX_TRANSFORM_PARAMS: Readonly<Record<string, readonly string[]>> = {
  'jax.grad': ['fun', 'argnums', 'has_aux', 'holomorphic', 'allow_int', 'reduce_axes'],
  'jax.value_and_grad': ['fun', 'argnums', 'has_aux', 'holomorphic', 'allow_int', 'reduce_axes'],
  'jax.jacrev': ['fun', 'argnums', 'has_aux', 'holomorphic', 'allow_int'],
  'jax.jacobian': ['fun', 'argnums', 'has_aux', 'holomorphic', 'allow_int'],
  'jax.jacfwd': ['fun', 'argnums', 'has_aux', 'holomorphic'],
  'jax.hessian': ['fun', 'argnums', 'has_aux', 'holomorphic'],
};

/** Boolean parameters of the transforms above. */
export const JAX_TRANSFORM_FLAGS = new Set(['has_aux', 'holomorphic', 'allow_int']);
