/**
 * What PyTorch (and the libraries around it) do to autograd, as data. The analysis
 * (`../analysis/interpreter.ts`) reads these tables; rules never hard-code an API name that belongs
 * here. Sources: the PyTorch 2.x API reference (torch.autograd, torch.func, torch.nn, torch.Tensor),
 * Lightning's documentation of its evaluation loops, scikit-learn's preprocessing reference.
 * Every behaviour a rule relies on is also measured with real PyTorch in the fixtures' ground truth.
 */

/** A call that returns a derivative. */
export interface DerivativeSpec {
  framework: 'pytorch' | 'tensorflow' | 'jax';
  /** What is returned: a derivative value, or a transformed function (`torch.func.grad(f)`). */
  returns: 'value' | 'function';
  /** Python signature, for arguments by position. */
  params: readonly string[];
  /** Parameter naming the differentiated output tensor(s) (`outputs` of autograd.grad), if any. */
  outputs?: string;
  /** Parameter naming the differentiated function (`func` of functional.jacobian), if any. */
  func?: string;
  /** Parameter naming the tensors differentiated against. */
  inputs?: string;
  /** Parameter for the vector of a vector-Jacobian product (`grad_outputs`, `v`). */
  gradOutputs?: string;
  /** Parameter that keeps a graph of the derivative (`create_graph`), when there is one. */
  createGraph?: string;
  /** Parameter that keeps the forward graph for another backward (`retain_graph`). */
  retainGraph?: string;
  /**
   * How the result relates to the output: `gradient` (shape of the inputs, summed over the output's
   * elements), `jacobian` (output shape × input shape), `hessian` (a second derivative).
   */
  shape: 'gradient' | 'jacobian' | 'hessian' | 'product';
  /** Derivative order added by the call (2 for a Hessian). */
  order: number;
  /** Requires a scalar output (implicit `grad_outputs`). */
  scalarOutput: boolean;
}

const GRAD_PARAMS = ['outputs', 'inputs', 'grad_outputs', 'retain_graph', 'create_graph', 'only_inputs', 'allow_unused', 'is_grads_batched', 'materialize_grads'];

export const TORCH_DERIVATIVES: Readonly<Record<string, DerivativeSpec>> = {
  'torch.autograd.grad': {
    framework: 'pytorch', returns: 'value', params: GRAD_PARAMS, outputs: 'outputs', inputs: 'inputs', gradOutputs: 'grad_outputs',
    createGraph: 'create_graph', retainGraph: 'retain_graph', shape: 'gradient', order: 1, scalarOutput: true,
  },
  'torch.autograd.functional.jacobian': {
    framework: 'pytorch', returns: 'value', params: ['func', 'inputs', 'create_graph', 'strict', 'vectorize', 'strategy'], func: 'func', inputs: 'inputs',
    createGraph: 'create_graph', shape: 'jacobian', order: 1, scalarOutput: false,
  },
  'torch.autograd.functional.hessian': {
    framework: 'pytorch', returns: 'value', params: ['func', 'inputs', 'create_graph', 'strict', 'vectorize', 'outer_jacobian_strategy'], func: 'func', inputs: 'inputs',
    createGraph: 'create_graph', shape: 'hessian', order: 2, scalarOutput: true,
  },
  'torch.autograd.functional.vjp': {
    framework: 'pytorch', returns: 'value', params: ['func', 'inputs', 'v', 'create_graph', 'strict'], func: 'func', inputs: 'inputs', gradOutputs: 'v',
    createGraph: 'create_graph', shape: 'product', order: 1, scalarOutput: true,
  },
  'torch.autograd.functional.jvp': {
    framework: 'pytorch', returns: 'value', params: ['func', 'inputs', 'v', 'create_graph', 'strict'], func: 'func', inputs: 'inputs', gradOutputs: 'v',
    createGraph: 'create_graph', shape: 'product', order: 1, scalarOutput: false,
  },
  'torch.autograd.functional.hvp': {
    framework: 'pytorch', returns: 'value', params: ['func', 'inputs', 'v', 'create_graph', 'strict'], func: 'func', inputs: 'inputs', gradOutputs: 'v',
    createGraph: 'create_graph', shape: 'product', order: 2, scalarOutput: true,
  },
  'torch.autograd.functional.vhp': {
    framework: 'pytorch', returns: 'value', params: ['func', 'inputs', 'v', 'create_graph', 'strict'], func: 'func', inputs: 'inputs', gradOutputs: 'v',
    createGraph: 'create_graph', shape: 'product', order: 2, scalarOutput: true,
  },
  // `gradgradcheck(func, inputs)` differentiates `func` twice (numerically against analytically): a second derivative
  // of `func` at `inputs`, whose returned value is a flag.
  'torch.autograd.gradgradcheck': {
    framework: 'pytorch', returns: 'value', params: ['func', 'inputs', 'grad_outputs'], func: 'func', inputs: 'inputs', gradOutputs: 'grad_outputs',
    shape: 'product', order: 2, scalarOutput: false,
  },
  'torch.autograd.gradcheck.gradgradcheck': {
    framework: 'pytorch', returns: 'value', params: ['func', 'inputs', 'grad_outputs'], func: 'func', inputs: 'inputs', gradOutputs: 'grad_outputs',
    shape: 'product', order: 2, scalarOutput: false,
  },
  // torch.func transforms return functions; their derivatives are always differentiable again.
  'torch.func.grad': { framework: 'pytorch', returns: 'function', params: ['func', 'argnums', 'has_aux'], func: 'func', shape: 'gradient', order: 1, scalarOutput: true },
  'torch.func.grad_and_value': { framework: 'pytorch', returns: 'function', params: ['func', 'argnums', 'has_aux'], func: 'func', shape: 'gradient', order: 1, scalarOutput: true },
  'torch.func.jacrev': { framework: 'pytorch', returns: 'function', params: ['func', 'argnums', 'has_aux', 'chunk_size'], func: 'func', shape: 'jacobian', order: 1, scalarOutput: false },
  'torch.func.jacfwd': { framework: 'pytorch', returns: 'function', params: ['func', 'argnums', 'has_aux', 'randomness'], func: 'func', shape: 'jacobian', order: 1, scalarOutput: false },
  'torch.func.hessian': { framework: 'pytorch', returns: 'function', params: ['func', 'argnums'], func: 'func', shape: 'hessian', order: 2, scalarOutput: false },
};

/**
 * Functions that take a *function* (to differentiate, check or map) as an argument, with their signature and the name of
 * that parameter: the derivative APIs above that have one, `gradcheck`, and the `torch.func`/`functorch` transforms
 * that are not derivatives (`vmap`, `vjp`, `jvp`, `linearize`). Given a tensor there, PyTorch calls it and raises
 * "TypeError: 'Tensor' object is not callable" (measured by AGL111's ground truth).
 */
export const TORCH_FUNCTION_ARGUMENT: ReadonlyMap<string, { params: readonly string[]; func: string }> = new Map([
  ...Object.entries(TORCH_DERIVATIVES).flatMap(([q, d]) => (d.func ? [[q, { params: d.params, func: d.func }] as const] : [])),
  ['torch.autograd.gradcheck', { params: ['func', 'inputs'], func: 'func' }],
  ['torch.autograd.gradcheck.gradcheck', { params: ['func', 'inputs'], func: 'func' }],
  ['torch.func.vmap', { params: ['func', 'in_dims', 'out_dims', 'randomness', 'chunk_size'], func: 'func' }],
  ['torch.vmap', { params: ['func', 'in_dims', 'out_dims', 'randomness', 'chunk_size'], func: 'func' }],
  ['torch.func.vjp', { params: ['func', 'primals'], func: 'func' }],
  ['torch.func.jvp', { params: ['func', 'primals', 'tangents'], func: 'func' }],
  ['torch.func.linearize', { params: ['func', 'primals'], func: 'func' }],
  ...['grad', 'grad_and_value', 'jacrev', 'jacfwd', 'hessian', 'vmap', 'vjp', 'jvp'].map((n) => [`functorch.${n}`, { params: ['func'], func: 'func' }] as const),
]);

/**
 * Names that by convention hold a network (an `nn.Module` instance) in code quoted without its definition: a call of one
 * (`model(x)`, `self.net(x)`, `encoder(x)`) computes a tensor, never returns a function. Deliberately narrower than the
 * analysis' model-like names (which include `f`, `fn`, `func`: names of functions, possibly factories).
 */
export const CONVENTIONAL_MODULE_NAME = /^(?:model|net|network|encoder|decoder|generator|discriminator|critic|policy|actor|classifier|backbone|teacher|student|mlp|cnn|pinn)(?:_?\d+)?$/i;

/** `Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)`. */
export const BACKWARD_PARAMS = ['gradient', 'retain_graph', 'create_graph', 'inputs'];
export const AUTOGRAD_BACKWARD_PARAMS = ['tensors', 'grad_tensors', 'retain_graph', 'create_graph', 'grad_variables', 'inputs'];

/** Context managers and decorators that change whether autograd records. */
export const TORCH_GRAD_MODES: Readonly<Record<string, 'off' | 'on' | 'inference' | 'set'>> = {
  'torch.no_grad': 'off',
  'torch.enable_grad': 'on',
  'torch.inference_mode': 'inference',
  'torch.set_grad_enabled': 'set',
  'torch.autograd.no_grad': 'off',
  'torch.autograd.enable_grad': 'on',
  'torch.autograd.inference_mode': 'inference',
  'torch.autograd.set_grad_enabled': 'set',
  'torch.autograd.grad_mode.no_grad': 'off',
  'torch.autograd.grad_mode.enable_grad': 'on',
  'torch.autograd.grad_mode.inference_mode': 'inference',
  'torch.autograd.grad_mode.set_grad_enabled': 'set',
  // The function `torch.set_grad_enabled` calls (a statement only: it returns None).
  'torch._C._set_grad_enabled': 'set',
};

/** Tensor methods that leave autograd (their result has no graph to the receiver). */
export const CUT_METHODS = new Set(['detach', 'numpy', 'item', 'tolist', 'detach_']);
/** Attributes of a tensor whose value has no graph (`x.data`, `x.grad` without create_graph is handled apart). */
export const CUT_ATTRIBUTES = new Set(['data']);
/** Methods whose result is differentiable but piecewise constant: no derivative flows (zero). */
export const ZERO_GRAD_METHODS = new Set([
  'sign', 'round', 'floor', 'ceil', 'trunc', 'argmax', 'argmin', 'argsort', 'long', 'int', 'bool', 'byte', 'short',
  'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'isnan', 'isinf', 'isfinite', 'nonzero', 'sign_', 'round_',
]);
/** Methods giving a number or a Python structure (not a tensor). */
export const META_METHODS = new Set(['size', 'dim', 'numel', 'ndimension', 'nelement', 'stride', 'is_leaf', 'data_ptr', 'element_size', 'get_device']);
/** Reductions: a scalar without `dim`. */
export const REDUCTIONS = new Set(['sum', 'mean', 'prod', 'norm', 'std', 'var', 'logsumexp', 'amax', 'amin', 'nansum', 'nanmean', 'max', 'min', 'median', 'trace', 'dot', 'vdot']);
/** Methods that return the receiver's facts unchanged in shape (elementwise or layout-preserving). */
export const SAME_SHAPE_METHODS = new Set([
  'clone', 'contiguous', 'to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'type', 'type_as', 'requires_grad_',
  'sin', 'cos', 'tan', 'tanh', 'sigmoid', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'abs', 'neg', 'reciprocal', 'pow',
  'square', 'relu', 'clamp', 'clip', 'softmax', 'log_softmax', 'exp_', 'mul', 'div', 'add', 'sub', 'masked_fill', 'where',
  'cumsum', 'cumprod', 'flip', 'roll', 'sinh', 'cosh', 'asin', 'acos', 'atan', 'erf', 'lerp', 'addcmul', 'addcdiv',
]);
/** In-place methods: they change the receiver (a leaf that requires grad raises outside no_grad). */
export const INPLACE_METHOD = /^(?!__)[a-z][a-z0-9_]*[a-z0-9]_$/;
/** In-place methods that are not arithmetic on the value (they do not raise on a leaf, or are bookkeeping). */
export const INPLACE_NOT_ARITHMETIC = new Set(['requires_grad_', 'retain_grad_', 'share_memory_', 'detach_', 'resize_', 'set_']);

/**
 * Operations (the last name component, any framework) whose derivative is infinite or NaN where their input is 0:
 * square roots, logarithms, reciprocals, norms (0/0 at the zero vector) and divisions. Not `atan2` (singular only
 * where both arguments are 0), `exp` (finite below overflow), powers (depend on the exponent) or `acos`/`asin`
 * (singular at ±1). A `where` whose condition compares a value with 0 masks one of these at its singular point when
 * the operation's input is that value or made from it (`theta = sqrt(theta2)` under `theta2 > 0`).
 */
export const STRICTLY_SINGULAR_OPS = new Set([
  'sqrt', 'rsqrt', 'cbrt', 'log', 'log2', 'log10', 'reciprocal', 'norm', 'vector_norm', 'div', 'divide', 'true_divide', 'truediv',
]);

/**
 * Functions that build an identity matrix (the last name component: `torch.eye`, `jnp.eye`, `jnp.identity`,
 * `tf.eye`, `tf.linalg.eye`): a `where` mask made from one selects the diagonal of a pairwise matrix, where a
 * point meets itself and its distance is 0.
 */
export const DIAGONAL_MASK_FUNCTIONS = new Set(['eye', 'identity', 'eye_like']);

/** Tensor methods whose derivative is infinite or NaN somewhere in the domain. */
export const RISKY_METHODS = new Set(['sqrt', 'rsqrt', 'log', 'log2', 'log10', 'reciprocal', 'norm', 'acos', 'asin', 'atanh', 'arctanh', 'pow', 'atan2', 'div']);
export const RISKY_FUNCTIONS = new Set([
  'torch.sqrt', 'torch.rsqrt', 'torch.log', 'torch.log2', 'torch.log10', 'torch.reciprocal', 'torch.norm', 'torch.linalg.norm',
  'torch.linalg.vector_norm', 'torch.acos', 'torch.asin', 'torch.atanh', 'torch.arctanh', 'torch.pow', 'torch.atan2', 'torch.div', 'torch.cdist',
  'torch.nn.functional.normalize', 'torch.pdist',
]);
/**
 * Operations (function and method names) whose derivative at +inf or -inf is NaN or infinite: cos'(inf) =
 * -sin(inf) is NaN, (x**2)' = 2x is infinite. Applied to a tensor holding a literal infinity, they put NaN
 * or inf into the backward pass at those entries even where a `where` does not select them.
 */
export const NON_FINITE_DERIVATIVE_AT_INF = new Set(['sin', 'cos', 'tan', 'sinh', 'cosh', 'pow', 'square']);
/**
 * Functions and tensor methods that take a dimension of their first tensor: their parameters (for a positional
 * `dim`) and the default `dim` when it is not the last axis (`F.normalize` and `F.cosine_similarity` work on dim 1,
 * the feature axis of a batch). Methods list the parameters after `self`.
 */
export const DIM_ARGUMENT: Readonly<Record<string, { params: readonly string[]; defaultDim?: number }>> = {
  'torch.nn.functional.normalize': { params: ['input', 'p', 'dim', 'eps'], defaultDim: 1 },
  'torch.nn.functional.cosine_similarity': { params: ['x1', 'x2', 'dim', 'eps'], defaultDim: 1 },
  'torch.nn.functional.softmax': { params: ['input', 'dim'] },
  'torch.nn.functional.log_softmax': { params: ['input', 'dim'] },
  'torch.softmax': { params: ['input', 'dim'] },
  'torch.log_softmax': { params: ['input', 'dim'] },
  'torch.sum': { params: ['input', 'dim'] },
  'torch.mean': { params: ['input', 'dim'] },
  'torch.norm': { params: ['input', 'p', 'dim'] },
  'torch.linalg.norm': { params: ['input', 'ord', 'dim'] },
  'torch.linalg.vector_norm': { params: ['input', 'ord', 'dim'] },
  '.sum': { params: ['dim'] },
  '.mean': { params: ['dim'] },
  '.softmax': { params: ['dim'] },
  '.log_softmax': { params: ['dim'] },
  '.norm': { params: ['p', 'dim'] },
};
/** Tensor methods and torch functions linear in their first tensor (given constant other arguments): they keep a value affine in its leaves. */
export const AFFINE_METHODS = new Set([
  'sum', 'mean', 'reshape', 'view', 'view_as', 'flatten', 'squeeze', 'unsqueeze', 't', 'transpose', 'permute', 'clone',
  'contiguous', 'neg', 'float', 'double',
]);
/** Operations whose result holds no infinity of their input (they select, bound or squash the values). */
export const FINITE_RESULT = new Set([
  'where', 'clamp', 'clip', 'clamp_min', 'clamp_max', 'minimum', 'fmin', 'nan_to_num', 'sigmoid', 'tanh', 'softmax',
  'isinf', 'isnan', 'isfinite', 'masked_fill', 'masked_select', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'sign',
]);

/** torch functions that make a new tensor without a graph from their data (a copy, or fresh values). */
export const TORCH_FACTORIES = new Set([
  'torch.tensor', 'torch.Tensor', 'torch.FloatTensor', 'torch.DoubleTensor', 'torch.LongTensor', 'torch.IntTensor', 'torch.BoolTensor',
  'torch.zeros', 'torch.ones', 'torch.empty', 'torch.full', 'torch.rand', 'torch.randn', 'torch.randint', 'torch.randperm',
  'torch.linspace', 'torch.logspace', 'torch.arange', 'torch.eye', 'torch.from_numpy', 'torch.zeros_like', 'torch.ones_like',
  'torch.empty_like', 'torch.full_like', 'torch.rand_like', 'torch.randn_like', 'torch.randint_like', 'torch.normal', 'torch.bernoulli',
  'torch.meshgrid',
]);
/**
 * Samplers whose draws carry no gradient to the tensors that parametrize them: PyTorch's derivative of `normal`
 * with respect to its mean and standard deviation is zero (derivatives.yaml: `zeros_like`), and the discrete draws
 * (`bernoulli`, `multinomial`, `poisson`, `binomial`) have none. Measured with PyTorch 1.13
 * (test/fixtures/lint/AGL002/bad_sampling.py). A reparameterized draw is `mean + std * torch.randn_like(std)`.
 */
export const TORCH_NONREPARAM_SAMPLERS = new Set(['torch.normal', 'torch.bernoulli', 'torch.multinomial', 'torch.poisson', 'torch.binomial']);
/**
 * `torch.distributions`: `sample()` draws under `torch.no_grad()` (torch/distributions/*.py), so it carries no
 * gradient to the distribution's parameters; `rsample()` (where `has_rsample`), `log_prob`, `entropy`, `cdf` do.
 */
export const DISTRIBUTION_SAMPLE_METHODS = new Set(['sample', 'sample_n']);
export const DISTRIBUTION_LIVE_METHODS = new Set(['rsample', 'log_prob', 'entropy', 'cdf', 'icdf', 'perplexity']);
export const DISTRIBUTION_LIVE_ATTRIBUTES = new Set(['mean', 'mode', 'stddev', 'variance', 'loc', 'scale', 'probs', 'logits', 'rate', 'concentration']);

/** Factories whose result keeps the data's graph (`as_tensor` of a tensor returns it unchanged). */
/** Factories whose result keeps the data's graph (`as_tensor` of a tensor returns it unchanged); `Variable` is handled here too, as a copy without history. */
export const TORCH_PASS_THROUGH = new Set(['torch.as_tensor', 'torch.autograd.Variable', 'torch.nn.Parameter', 'torch.nn.parameter.Parameter']);
/** Factories that produce integer tensors unless a float dtype (or float literal bounds) is given. */
export const INTEGER_FACTORIES = new Set(['torch.arange', 'torch.randint', 'torch.randperm', 'torch.LongTensor', 'torch.IntTensor', 'torch.randint_like']);
/** Piecewise-constant functions with a float result: it keeps a graph, but its derivative is zero wherever defined. */
export const TORCH_PIECEWISE_CONSTANT = new Set(['torch.sign', 'torch.round', 'torch.floor', 'torch.ceil', 'torch.trunc', 'torch.heaviside']);
/** Functions whose output does not carry a gradient (piecewise constant or integer valued). */
export const TORCH_ZERO_GRAD_FUNCTIONS = new Set([
  ...TORCH_PIECEWISE_CONSTANT, 'torch.argmax', 'torch.argmin', 'torch.argsort', 'torch.eq', 'torch.ne', 'torch.gt', 'torch.lt', 'torch.ge', 'torch.le', 'torch.isnan', 'torch.isinf',
  'torch.nonzero', 'torch.searchsorted', 'torch.bucketize', 'torch.floor_divide',
]);
export const TORCH_REDUCTIONS = new Set([
  'torch.sum', 'torch.mean', 'torch.prod', 'torch.norm', 'torch.std', 'torch.var', 'torch.logsumexp', 'torch.trace', 'torch.dot',
  'torch.linalg.norm', 'torch.linalg.vector_norm', 'torch.max', 'torch.min', 'torch.median',
]);
/**
 * Reductions of one tensor along one axis, written as functions, whose result is one tensor with that axis removed
 * (kept with size 1 under `keepdim=True`): `torch.sum(x, dim=1)`, `torch.mean(x, 2, keepdim=True)`. Not `torch.max`/
 * `torch.min`/`torch.median`, which return values and indices when given an axis.
 */
export const TORCH_AXIS_REDUCTIONS = new Set(['torch.sum', 'torch.mean', 'torch.prod', 'torch.logsumexp', 'torch.std', 'torch.var']);
/** Functions combining a sequence of tensors (the first positional argument is a list). */
export const TORCH_SEQUENCE_OPS = new Set(['torch.cat', 'torch.stack', 'torch.hstack', 'torch.vstack', 'torch.concat', 'torch.column_stack', 'torch.dstack']);
/** Functions that flatten a sequence of tensors into one vector, differentiably (`torch.cat([t.view(-1) ...])`). */
export const TORCH_FLATTEN_SEQUENCE = new Set(['torch.nn.utils.parameters_to_vector', 'torch.nn.utils.convert_parameters.parameters_to_vector']);

/** Piecewise-linear activations: second derivatives through them are zero almost everywhere. */
export const PIECEWISE_LINEAR_FUNCTIONS = new Set([
  'torch.relu', 'torch.nn.functional.relu', 'torch.nn.functional.relu6', 'torch.nn.functional.leaky_relu', 'torch.nn.functional.hardtanh',
  'torch.nn.functional.prelu', 'torch.nn.functional.rrelu', 'torch.nn.functional.relu_', 'torch.nn.functional.max_pool1d',
  'torch.nn.functional.max_pool2d', 'torch.nn.functional.max_pool3d', 'torch.clamp', 'torch.clip', 'torch.abs', 'torch.nn.functional.hardsigmoid',
  'torch.nn.functional.hardshrink', 'torch.nn.functional.threshold',
  // selections: the derivative picks one argument's derivative, so the second derivative through them is zero
  'torch.max', 'torch.min', 'torch.maximum', 'torch.minimum', 'torch.amax', 'torch.amin', 'torch.fmax', 'torch.fmin',
]);
export const PIECEWISE_LINEAR_MODULES = new Set([
  'torch.nn.ReLU', 'torch.nn.ReLU6', 'torch.nn.LeakyReLU', 'torch.nn.PReLU', 'torch.nn.RReLU', 'torch.nn.Hardtanh', 'torch.nn.MaxPool1d',
  'torch.nn.MaxPool2d', 'torch.nn.MaxPool3d', 'torch.nn.Hardsigmoid',
]);
/**
 * Reductions with curvature: a second derivative through them is not zero even when every layer before them is
 * piecewise linear (`logsumexp`, a softmax's normaliser; an L2 `norm`; `std`/`var`, quadratic; `prod`, multilinear).
 * `sum`, `mean` are linear and `max`/`min` select.
 */
export const CURVED_REDUCTIONS = new Set(['logsumexp', 'norm', 'std', 'var', 'prod', 'vector_norm']);
/**
 * Losses that are piecewise linear in their inputs (`|a - b|`; `nll_loss` reads one entry per row): a second
 * derivative through them keeps the model's zero. Every other loss of PyTorch (squared error, cross-entropy, Huber,
 * BCE, KL, cosine...) has curvature: the input Hessian of a ReLU classifier's cross-entropy is J^T (diag(p) - p p^T) J,
 * not zero (measured with PyTorch 1.13: test/fixtures/lint/AGL010/good_loss_curvature.py).
 */
export const PIECEWISE_LINEAR_LOSSES = new Set([
  'torch.nn.functional.l1_loss', 'torch.nn.functional.nll_loss', 'torch.nn.L1Loss', 'torch.nn.NLLLoss',
]);
/** Layers whose output for one sample depends on the other samples of the batch in training mode. */
/**
 * `torch.nn` modules that hold no parameters (dropout, shape changes, pooling, padding, resampling, distances): a call
 * of one trains nothing, so the analysis gives it no parameter site (a loss built on `nn.CosineSimilarity()(a, b)`
 * does not "train" the similarity). Piecewise-linear, smooth and batch-coupling modules are classified before this.
 */
/**
 * Parameterless modules whose output has another shape than their input (flattening, pooling, resampling,
 * padding, folding, pairwise measures): the analysis does not carry the input's shape through them.
 */
export const SHAPE_CHANGING_MODULES = /^torch\.nn\.(?:Flatten|Unflatten|(?:Adaptive)?(?:Avg|Max)Pool[123]d|LPPool[12]d|FractionalMaxPool[23]d|MaxUnpool[123]d|CosineSimilarity|PairwiseDistance|Upsample|UpsamplingNearest2d|UpsamplingBilinear2d|PixelShuffle|PixelUnshuffle|(?:Zero|Constant|Reflection|Replication|Circular)Pad[123]d|Fold|Unfold)$/;

export const PARAMETERLESS_MODULES = /^torch\.nn\.(?:Identity|Dropout\w*|AlphaDropout|FeatureAlphaDropout|Flatten|Unflatten|(?:Adaptive)?(?:Avg|Max)Pool[123]d|LPPool[12]d|FractionalMaxPool[23]d|MaxUnpool[123]d|CosineSimilarity|PairwiseDistance|Upsample|UpsamplingNearest2d|UpsamplingBilinear2d|PixelShuffle|PixelUnshuffle|ChannelShuffle|(?:Zero|Constant|Reflection|Replication|Circular)Pad[123]d|Fold|Unfold|Softmax2d|Softmin)$/;
export const BATCH_COUPLING_MODULES = new Set(['torch.nn.BatchNorm1d', 'torch.nn.BatchNorm2d', 'torch.nn.BatchNorm3d', 'torch.nn.SyncBatchNorm', 'torch.nn.LazyBatchNorm1d']);
/**
 * Wrappers that run the module they are given on the same inputs (splitting a batch across devices and gathering
 * the outputs, or syncing gradients): what the module's layers do to derivatives, the wrapper does; `.module` is
 * the wrapped module.
 */
export const MODULE_WRAPPERS = new Set([
  'torch.nn.DataParallel', 'torch.nn.parallel.DataParallel', 'torch.nn.parallel.DistributedDataParallel',
  'torch.nn.parallel.data_parallel.DataParallel', 'torch.nn.parallel.distributed.DistributedDataParallel',
]);
/** Module containers: calling them calls their children in order. */
/**
 * `nn.Module` methods that return the module itself (`net = Net().cuda()`, `model.to(device).train()`): the semantic
 * model links the bound name to the class, and the analysis gives the call the receiver (with `eval`/`train`/
 * `requires_grad_` changing its mode or its parameters' flag). `apply(fn)` returns the module too; what `fn` does
 * to the submodules is not followed.
 */
export const MODULE_SELF_METHODS = new Set(['to', 'cuda', 'cpu', 'xpu', 'float', 'double', 'half', 'bfloat16', 'type', 'train', 'eval', 'requires_grad_', 'share_memory', 'apply', 'to_empty']);

/**
 * Modules whose forward is one autograd operation taking the module's input first (an activation, a convolution, a
 * pooling): a non-full backward hook (`register_backward_hook`) sees the gradients of that operation's inputs, so its
 * `grad_input[0]` is the gradient of the module's input. Not `nn.Linear` (its `addmm` node gives the bias first), nor
 * any module of several operations (a block, a model, `nn.Sequential`), where it is the last operation's.
 */
export const SINGLE_NODE_MODULES = /^torch\.nn\.(?:modules\.\w+\.)?(?:ReLU6?|LeakyReLU|PReLU|RReLU|ELU|CELU|SELU|GELU|SiLU|Mish|Sigmoid|Tanh|Softplus|Softsign|Hardtanh|Hardsigmoid|Hardswish|Tanhshrink|Softshrink|Hardshrink|Threshold|LogSigmoid|Softmax|LogSoftmax|Conv[123]d|ConvTranspose[123]d|(?:Max|Avg)Pool[123]d|Adaptive(?:Max|Avg)Pool[123]d)$/;

/**
 * Module constructors whose forward is several autograd operations, or one whose first gradient is not the input's
 * (`nn.Linear`'s `addmm` gives the bias first): a non-full backward hook's `grad_input` is then not the gradient of
 * the module's input. Also whole models (torchvision's, timm's).
 */
export const MULTI_NODE_MODULES = /^(?:torch\.nn\.(?:Sequential|Linear|Bilinear|LazyLinear|RNN|LSTM|GRU|MultiheadAttention|Transformer(?:Encoder|Decoder)?(?:Layer)?)|torchvision\.models\.\w+|timm\.create_model)$/;

export const MODULE_CONTAINERS = new Set(['torch.nn.Sequential', 'torch.nn.ModuleList', 'torch.nn.ModuleDict']);
/** Library base classes whose subclasses are modules (calling an instance runs `forward`). */
export const MODULE_BASES = new Set([
  'torch.nn.Module', 'torch.nn.modules.module.Module', 'lightning.LightningModule', 'pytorch_lightning.LightningModule',
  'lightning.pytorch.LightningModule', 'lightning.pytorch.core.LightningModule', 'pytorch_lightning.core.LightningModule',
  'tensorflow.keras.Model', 'tensorflow.keras.models.Model', 'tensorflow.keras.layers.Layer', 'tensorflow.Module', 'flax.linen.Module',
  'torch.nn.Sequential',
]);
/**
 * Bases of custom autograd functions. PyTorch runs their `forward` with grad mode off (the function's own
 * backward stands for it) and their `backward` with grad mode off unless the backward pass was asked for
 * with `create_graph=True` (docs: "Extending torch.autograd"; torch/autograd/function.py).
 */
export const AUTOGRAD_FUNCTION_BASES = new Set(['torch.autograd.Function', 'torch.autograd.function.Function']);
export const LIGHTNING_BASES = new Set([
  'lightning.LightningModule', 'pytorch_lightning.LightningModule', 'lightning.pytorch.LightningModule', 'lightning.pytorch.core.LightningModule',
  'pytorch_lightning.core.LightningModule',
]);
/**
 * Lightning hooks and the grad mode they run in by default: evaluation loops run under
 * `torch.inference_mode()` (or `torch.no_grad()` with `Trainer(inference_mode=False)`).
 */
export const LIGHTNING_EVAL_HOOKS = new Set([
  'validation_step', 'test_step', 'predict_step', 'on_validation_epoch_end', 'on_test_epoch_end',
  // The batch and epoch hooks around them run inside the same evaluation context (LightningModule and Callback).
  'on_validation_batch_start', 'on_validation_batch_end', 'on_test_batch_start', 'on_test_batch_end',
  'on_predict_batch_start', 'on_predict_batch_end', 'on_validation_epoch_start', 'on_test_epoch_start', 'on_predict_epoch_end',
  // Lightning 1.x: the epoch-end hooks given the steps' outputs run at the end of the evaluation loop, in its context.
  'validation_epoch_end', 'test_epoch_end',
  // The loop's start and end hooks and the model-mode hooks run inside it too (the evaluation loop's `run` is wrapped
  // in the grad-mode context; Lightning issue 10287: "1. Lightning disable autograd 2. on_validation_model_eval() is
  // called 3. val loop runs 4. on_validation_model_train() is called").
  'on_validation_start', 'on_validation_end', 'on_test_start', 'on_test_end', 'on_predict_start', 'on_predict_end',
  'on_predict_epoch_start', 'on_validation_model_eval', 'on_test_model_eval',
]);
/** Lightning's callback base classes: their evaluation hooks run in the same grad mode as the module's. */
export const LIGHTNING_CALLBACK_BASES = new Set([
  'lightning.Callback', 'lightning.pytorch.Callback', 'lightning.pytorch.callbacks.Callback', 'pytorch_lightning.Callback',
  'pytorch_lightning.callbacks.Callback', 'pytorch_lightning.callbacks.base.Callback',
]);
/**
 * Names Lightning's step hooks give their batch-index parameter (`batch_idx` today; `batch_nb` in the
 * Lightning 0.x documentation and the code written from it): with `self` first, they mark a hook
 * pasted without its class.
 */
export const LIGHTNING_BATCH_INDEX_PARAMS = new Set(['batch_idx', 'batch_nb']);
/**
 * Parameter names of an entry point the analysis takes to hold an instance of the file's own model class
 * (interpreter.ts, `likelyInstance`): a critic's (`netD`, `critic`, `real_disc`) and a model's.
 */
export const CRITIC_PARAM = /^(?:net_?d|d|critic|disc|discriminator|[a-z_]*_(?:critic|disc|discriminator))$/i;
export const MODEL_PARAM = /^(?:model|net|network)$/i;
/** Hooks whose returned loss the trainer backpropagates into the parameters. */
export const TRAINING_HOOKS = new Set(['training_step']);

/** `nn.Linear(in_features, out_features)`: where the output width is, for visible shapes. */
export const OUT_FEATURES_ARG: Readonly<Record<string, { index: number; name: string }>> = {
  'torch.nn.Linear': { index: 1, name: 'out_features' },
  'torch.nn.Bilinear': { index: 2, name: 'out_features' },
  'torch.nn.LazyLinear': { index: 0, name: 'out_features' },
};

/** Losses: `F.mse_loss(...)`, `nn.MSELoss()(...)`; scalar unless `reduction='none'`. */
export const LOSS_FUNCTION = /^torch\.nn\.functional\.\w*(?:loss|_entropy|_divergence)$/;
export const LOSS_MODULE = /^torch\.nn\.\w*Loss$/;

/**
 * The constructor parameters of PyTorch's loss classes, in order (PyTorch 1.13, torch/nn/modules/loss.py): options,
 * never the prediction and target, which go to the module's call. AGL077 names the parameter a tensor lands in.
 * Classes with keyword-only options (`GaussianNLLLoss`, `TripletMarginWithDistanceLoss`) take no positional argument.
 */
export const TORCH_LOSS_CLASS_PARAMS: Readonly<Record<string, readonly string[]>> = {
  L1Loss: ['size_average', 'reduce', 'reduction'],
  MSELoss: ['size_average', 'reduce', 'reduction'],
  NLLLoss: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'],
  NLLLoss2d: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'],
  CrossEntropyLoss: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing'],
  BCELoss: ['weight', 'size_average', 'reduce', 'reduction'],
  BCEWithLogitsLoss: ['weight', 'size_average', 'reduce', 'reduction', 'pos_weight'],
  KLDivLoss: ['size_average', 'reduce', 'reduction', 'log_target'],
  PoissonNLLLoss: ['log_input', 'full', 'size_average', 'eps', 'reduce', 'reduction'],
  GaussianNLLLoss: [],
  HuberLoss: ['reduction', 'delta'],
  SmoothL1Loss: ['size_average', 'reduce', 'reduction', 'beta'],
  SoftMarginLoss: ['size_average', 'reduce', 'reduction'],
  MultiLabelSoftMarginLoss: ['weight', 'size_average', 'reduce', 'reduction'],
  MultiLabelMarginLoss: ['size_average', 'reduce', 'reduction'],
  MultiMarginLoss: ['p', 'margin', 'weight', 'size_average', 'reduce', 'reduction'],
  HingeEmbeddingLoss: ['margin', 'size_average', 'reduce', 'reduction'],
  CosineEmbeddingLoss: ['margin', 'size_average', 'reduce', 'reduction'],
  MarginRankingLoss: ['margin', 'size_average', 'reduce', 'reduction'],
  TripletMarginLoss: ['margin', 'p', 'eps', 'swap', 'size_average', 'reduce', 'reduction'],
  TripletMarginWithDistanceLoss: [],
  CTCLoss: ['blank', 'reduction', 'zero_infinity'],
};

/** The parameters of those constructors that do take a tensor (per-class weights). */
export const TORCH_LOSS_TENSOR_PARAMS: Readonly<Record<string, readonly string[]>> = {
  NLLLoss: ['weight'],
  NLLLoss2d: ['weight'],
  CrossEntropyLoss: ['weight'],
  BCELoss: ['weight'],
  BCEWithLogitsLoss: ['weight', 'pos_weight'],
  MultiLabelSoftMarginLoss: ['weight'],
  MultiMarginLoss: ['weight'],
};

/** Optimizers: instances whose `step()` applies the parameters' `.grad`. */
/**
 * The name of a callable that computes a loss from its arguments (`loss_fn`, `criterion`, `self.mse_loss`,
 * `loss_func`): made elsewhere, it is taken to have no trainable parameters of its own (PyTorch's loss modules
 * and functions have none), so its result requires grad only through its arguments. Not so: a verb-named method
 * (`D.compute_loss(x, y)` runs the discriminator), a method of a model-named object (`model.loss(x, y)`), or a call
 * that is also given a model (`loss(model, batch)`).
 */
export const LOSS_CALLABLE_NAME = /^(?!(?:compute|get|calc|calculate|eval|evaluate|forward|run|make|build)_)(?:[A-Za-z0-9_]*_)?(?:loss|criterion)(?:_?(?:fn|func|function|op|fcn))?\d*$/i;

export const OPTIMIZER_PREFIXES = ['torch.optim.', 'torch_optimizer.', 'transformers.AdamW'];

/**
 * Optimizer constructors, as data. `torch.optim`'s classes (`torch.optim.Adam`, `torch.optim.adam.Adam`; not the
 * schedulers of `torch.optim.lr_scheduler` nor `torch.optim.swa_utils`' averaged model and scheduler).
 */
export const TORCH_OPTIMIZER_CONSTRUCTOR = /^torch\.optim\.(?!lr_scheduler|swa_utils)(?:[a-z_]+\.)?[A-Z]\w*$/;
/**
 * The class name of another library's optimizer (torch.optim's names and the common third-party ones: apex's
 * `FusedAdam`, timm's `Lamb`, transformers' `AdamW`/`Adafactor`, `Lion`, `Ranger`, `Sophia`, `Prodigy`, `Muon`).
 */
export const OPTIMIZER_CLASS_NAME = /^\w*(?:SGD|Adam\w*|RMS[Pp]rop|Adagrad|Adadelta|Adamax|L?BFGS|Lamb|LAMB|Lion|Adafactor|NovoGrad|LARS|Lookahead|Optimi[sz]er|Shampoo|Yogi|Ranger\w*|Sophia\w*|Prodigy|Muon)$/;
/** Frameworks whose optimizers are not PyTorch's (no `step()`/`zero_grad()` over `.grad`). */
const NON_TORCH_OPTIMIZER_ROOTS = /^(?:tensorflow|keras|tf_keras|optax|jax|flax)\b/;
/** The last component of a name that says it holds an optimizer (`optimizer`, `self.optim`, `opt_g`, `g_optimizer`). */
const OPTIMIZER_VARIABLE_NAME = /^(?:[a-z0-9]+_)*(?:optim(?:i[sz]er)?|opt)(?:_[a-z0-9]+)*$/i;

/**
 * What a constructor's qualified name (or a class of the file's name) makes: `'torch'` for a `torch.optim`
 * optimizer, `'library'` for a class named as an optimizer outside TensorFlow/Keras/JAX (another library's subclass of
 * `torch.optim.Optimizer`, or a class of the file the caller may ask further), or null. The one answer every rule asks
 * to know an optimizer from its construction.
 */
export function optimizerConstructor(q: string | null): 'torch' | 'library' | null {
  if (q === null) return null;
  if (TORCH_OPTIMIZER_CONSTRUCTOR.test(q)) return 'torch';
  if (OPTIMIZER_CLASS_NAME.test(q.split('.').pop() ?? '') && !NON_TORCH_OPTIMIZER_ROOTS.test(q)) return 'library';
  return null;
}

/** Whether a scheduler's name (`scheduler`, `lr_sched`): its `step()` is not an optimizer's. */
export function isSchedulerName(text: string): boolean {
  return /sched/i.test(text);
}

/** Whether the last component of a receiver names an optimizer when nothing visible makes it (a fragment's `optimizer`). */
export function isOptimizerName(name: string): boolean {
  return OPTIMIZER_VARIABLE_NAME.test(name) && !isSchedulerName(name);
}

/**
 * `self.state` of an optimizer class (a subclass of `torch.optim.Optimizer`): per-parameter dicts of running
 * statistics (`exp_avg`, `exp_avg_sq`, `step`) that `step()` keeps from `p.grad` and `p.data`; PyTorch's optimizers
 * fill them under `torch.no_grad()` and none requires grad. Read as such, not as values an unseen caller made.
 */
export const OPTIMIZER_STATE_ATTRIBUTE = 'state';

/**
 * PyTorch's own optimizers (`torch.optim.*`) call the closure their `step(closure)` is given inside
 * `torch.enable_grad()` (torch/optim/sgd.py, adam.py, lbfgs.py: `with torch.enable_grad(): loss = closure()`;
 * `closure = torch.enable_grad()(closure)` in LBFGS), so the closure records even when `step` is called under
 * `no_grad`. Not under `inference_mode`, which `enable_grad()` does not leave.
 */
export const CLOSURE_ENABLES_GRAD_PREFIXES = ['torch.optim.'];

/**
 * A class is an optimizer when one of its bases is (a `torch.optim` or `torch_optimizer` class, or a class named
 * `...Optimizer`: `torch.optim.Optimizer`, `torch.optim.optimizer.Optimizer`, a project's `BaseOptimizer`).
 */
export function isOptimizerBase(q: string): boolean {
  return OPTIMIZER_PREFIXES.some((p) => q.startsWith(p)) || /(?:^|\.)\w*Optimizer$/.test(q);
}

/**
 * The value of the `closure` parameter of an optimizer's `step(self, closure=None)` when the caller is not visible:
 * `torch.optim.Optimizer.step` documents it as "a closure that reevaluates the model and returns the loss", and every
 * caller (the torch.optim docs' loop, Lightning's `optimizer_step`, Hugging Face Accelerate) passes one that runs
 * the forward pass and `loss.backward()`. Calling it is a call that differentiates inside (as DIFFERENTIATES_INSIDE's
 * objects): where recording is off, its `backward()` raises "element 0 of tensors does not require grad and does not
 * have a grad_fn" (Lightning-AI/pytorch-lightning#18254 with transformers' `@torch.no_grad()` AdamW;
 * huggingface/transformers#24412; davda54/sam#90).
 */
export const OPTIMIZER_CLOSURE = 'optimizer-closure';
export const OPTIMIZER_CLOSURE_SPEC: DifferentiatesInside = {
  classes: null,
  methods: new Set(['__call__']),
  library: 'torch.optim',
  why: "the closure an optimizer's `step` is given re-evaluates the model and calls `backward()` on the loss",
};

/** scikit-learn scalers: `transform` output is in normalized units; `scale_`, `mean_`... give the factor. */
export const SCALERS = new Set([
  'sklearn.preprocessing.MinMaxScaler', 'sklearn.preprocessing.StandardScaler', 'sklearn.preprocessing.RobustScaler',
  'sklearn.preprocessing.MaxAbsScaler', 'sklearn.preprocessing.Normalizer', 'sklearn.preprocessing.QuantileTransformer',
  'sklearn.preprocessing.PowerTransformer',
]);
export const SCALER_TRANSFORMS = new Set(['transform', 'fit_transform']);
export const SCALER_INVERSE = new Set(['inverse_transform']);

/** Top-level packages whose functions are library operations, never user models. */
export const LIBRARY_ROOTS = new Set([
  'torch', 'numpy', 'math', 'tensorflow', 'jax', 'sklearn', 'pandas', 'scipy', 'functools', 'itertools', 'operator', 'builtins',
  'collections', 'random', 'time', 'os', 'sys', 'copy', 'typing', 'matplotlib', 'flax', 'optax', 'json', 'pickle', 'logging',
  're', 'pathlib', 'tqdm', 'wandb', 'warnings', 'argparse', 'datetime', 'csv', 'h5py', 'PIL', 'cv2', 'seaborn', 'plotly',
]);

/** Python builtins that turn a tensor into a Python value (the graph is gone). */
export const PYTHON_CUTS = new Set(['float', 'int', 'bool', 'complex', 'list', 'tuple', 'str', 'repr', 'round', 'len']);

/**
 * Smooth nonlinear functions (by their last name, for `torch.x`, `torch.nn.functional.x`, `Tensor.x`,
 * `jax.numpy.x`, `tensorflow.math.x`): applied to something that depends on the input, they give the
 * input a non-zero second derivative.
 */
export const SMOOTH_FUNCTIONS = new Set([
  'sin', 'cos', 'tan', 'tanh', 'sigmoid', 'exp', 'exp2', 'expm1', 'log', 'log1p', 'log2', 'log10', 'sqrt', 'rsqrt', 'softplus',
  'silu', 'gelu', 'elu', 'celu', 'selu', 'mish', 'pow', 'square', 'erf', 'erfc', 'atan', 'asin', 'acos', 'arctan', 'arcsin',
  'arccos', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'reciprocal', 'softmax', 'log_softmax', 'logsigmoid', 'swish', 'softsign',
  'tanhshrink', 'norm', 'cdist', 'logsumexp', 'sinc', 'lgamma', 'digamma', 'power', 'cbrt',
]);
/** Smooth activation modules. */
export const SMOOTH_MODULES = new Set([
  'torch.nn.Tanh', 'torch.nn.Sigmoid', 'torch.nn.Softplus', 'torch.nn.SiLU', 'torch.nn.GELU', 'torch.nn.ELU', 'torch.nn.CELU',
  'torch.nn.SELU', 'torch.nn.Mish', 'torch.nn.Softmax', 'torch.nn.LogSoftmax', 'torch.nn.Tanhshrink', 'torch.nn.LogSigmoid',
  'torch.nn.Softsign',
  // Not smooth, but not piecewise linear either: x * relu6(x + 3) / 6 is quadratic on (-3, 3), where its second
  // derivative is 1/3 (measured with PyTorch 1.13; test/fixtures/lint/AGL010/good_torchvision.py).
  'torch.nn.Hardswish',
]);

/**
 * torchvision's classification models, by builder name (`torchvision.models.resnet18(...)`, also under their
 * module, `torchvision.models.resnet.resnet18`): `shape` says whether, in evaluation mode, the model is piecewise
 * linear in its input (only ReLU/ReLU6, max-pooling, and affine layers: convolutions, linear layers, BatchNorm with
 * running statistics, average pooling, concatenation, residual sums), so that its second input derivative is zero
 * wherever it exists, or has curvature (SiLU/sigmoid squeeze-excitation, Hardswish, GELU, LayerNorm, attention
 * softmax); `batchNorm` whether it has BatchNorm layers (their outputs couple the samples of a batch in training
 * mode). Read from torchvision 0.14's model definitions and measured with PyTorch 1.13: a Hessian-vector product
 * of one logit with respect to the input image is exactly 0 for every `pwl` family and non-zero for every
 * `curved` one (test/fixtures/lint/AGL010/bad_torchvision.py, good_torchvision.py run some of them).
 */
export interface KnownModel {
  readonly shape: 'pwl' | 'curved';
  readonly batchNorm: boolean;
  /** The operation without a double backward the model goes through (NO_DOUBLE_BACKWARD), if any. */
  readonly noDouble?: string;
}
const knownModels = (names: readonly string[], m: KnownModel): [string, KnownModel][] => names.map((n) => [n, m]);
export const TORCHVISION_MODELS: ReadonlyMap<string, KnownModel> = new Map([
  ...knownModels(['alexnet', 'vgg11', 'vgg13', 'vgg16', 'vgg19', 'squeezenet1_0', 'squeezenet1_1'], { shape: 'pwl', batchNorm: false }),
  ...knownModels([
    'vgg11_bn', 'vgg13_bn', 'vgg16_bn', 'vgg19_bn', 'resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'resnext50_32x4d',
    'resnext101_32x8d', 'resnext101_64x4d', 'wide_resnet50_2', 'wide_resnet101_2', 'densenet121', 'densenet161', 'densenet169',
    'densenet201', 'googlenet', 'inception_v3', 'mobilenet_v2', 'mnasnet0_5', 'mnasnet0_75', 'mnasnet1_0', 'mnasnet1_3',
    'shufflenet_v2_x0_5', 'shufflenet_v2_x1_0', 'shufflenet_v2_x1_5', 'shufflenet_v2_x2_0', 'regnet_x_400mf', 'regnet_x_800mf',
    'regnet_x_1_6gf', 'regnet_x_3_2gf', 'regnet_x_8gf', 'regnet_x_16gf', 'regnet_x_32gf',
  ], { shape: 'pwl', batchNorm: true }),
  ...knownModels([
    'regnet_y_400mf', 'regnet_y_800mf', 'regnet_y_1_6gf', 'regnet_y_3_2gf', 'regnet_y_8gf', 'regnet_y_16gf', 'regnet_y_32gf',
    'regnet_y_128gf', 'efficientnet_b0', 'efficientnet_b1', 'efficientnet_b2', 'efficientnet_b3', 'efficientnet_b4', 'efficientnet_b5',
    'efficientnet_b6', 'efficientnet_b7', 'efficientnet_v2_s', 'efficientnet_v2_m', 'efficientnet_v2_l', 'maxvit_t',
  ], { shape: 'curved', batchNorm: true }),
  // Hardswish activations and Hardsigmoid squeeze-excitation gates: a second derivative raises.
  ...knownModels(['mobilenet_v3_small', 'mobilenet_v3_large'], { shape: 'curved', batchNorm: true, noDouble: 'hardsigmoid_backward' }),
  ...knownModels([
    'convnext_tiny', 'convnext_small', 'convnext_base', 'convnext_large', 'swin_t', 'swin_s', 'swin_b', 'swin_v2_t', 'swin_v2_s',
    'swin_v2_b', 'vit_b_16', 'vit_b_32', 'vit_l_16', 'vit_l_32', 'vit_h_14',
  ], { shape: 'curved', batchNorm: false }),
]);

/**
 * `torch.compile`: with its default backend (inductor) and `aot_eager`, the compiled graph's backward goes through
 * AOTAutograd, which does not support double backward: PyTorch raises "torch.compile with aot_autograd does not
 * currently support double backward" (pytorch issue 91469 and PR 92348: before that the second derivative was
 * silently wrong; torchmd-net issue 307, PINA issue 621, deepmd-kit issue 4853 for force fields and PINNs).
 * `backend="eager"` does not compile the backward and differentiates twice. PyTorch 1.13 has no `torch.compile`:
 * this rests on those statements, not on a run here.
 */
export const TORCH_COMPILE = new Set(['torch.compile']);
export const TORCH_COMPILE_ERROR = 'torch.compile with aot_autograd does not currently support double backward';

/** The backward without a derivative that a function, module or known model goes through, if any. */
export function noDoubleBackwardOf(q: string): string | undefined {
  return NO_DOUBLE_BACKWARD[q] ?? torchvisionModel(q)?.noDouble;
}

/** The builder's name (`resnet18`) when a qualified name builds a torchvision classification model, else null. */
export function torchvisionBuilder(q: string | null | undefined): string | null {
  return q && torchvisionModel(q) ? q.slice(q.lastIndexOf('.') + 1) : null;
}

/** The torchvision classification model a qualified name builds (`torchvision.models[.family].name`), if any. */
export function torchvisionModel(q: string): KnownModel | null {
  if (!q.startsWith('torchvision.models.')) return null;
  const parts = q.split('.');
  // torchvision.models.NAME or torchvision.models.FAMILY.NAME; not the detection/segmentation/video/quantization models.
  if (parts.length > 4 || (parts.length === 4 && /^(?:detection|segmentation|video|quantization|optical_flow)$/.test(parts[2]!))) return null;
  return TORCHVISION_MODELS.get(parts[parts.length - 1]!) ?? null;
}

/**
 * Operations that save their *output* for backward (by last name): changing the result in place
 * afterwards makes backward raise "modified by an inplace operation" (PyTorch's derivatives.yaml:
 * `result` appears in the formula).
 */
export const SAVES_OUTPUT = new Set([
  'relu', 'relu_', 'sigmoid', 'tanh', 'exp', 'sqrt', 'rsqrt', 'softmax', 'log_softmax', 'cdist', 'norm', 'reciprocal', 'elu', 'hardtanh', 'relu6', 'threshold',
  // Each checked with PyTorch 1.13 (an in-place change of the result, or of a factor of a decomposition, makes backward raise
  // "modified by an inplace operation"): `logsumexp_backward(grad, self, result, ...)`, `grad * (result + 1)` for expm1,
  // `1 + result ** 2` for tan, and the factors of QR, Cholesky, SVD and eigh, the inverse, the determinant and solutions.
  'logsumexp', 'expm1', 'exp2', 'tan', 'qr', 'cholesky', 'svd', 'eigh', 'inv', 'inverse', 'det', 'solve', 'cholesky_solve', 'triangular_solve',
]);
/**
 * Operations whose result is a view of their (first) input: an in-place change of the view changes the input and bumps its
 * version, so a view of a tensor saved for backward is as good as the tensor (`torch.diagonal(R).add_(eps)` after QR).
 */
export const VIEW_OPS = new Set(['diagonal', 'transpose', 't', 'permute', 'view', 'narrow', 'select', 'squeeze', 'unsqueeze', 'expand', 'expand_as', 'view_as', 'movedim', 'unflatten', 'as_strided', 'swapaxes', 'swapdims']);
/** Operations that save their *inputs* for backward (when the inputs require grad). */
export const SAVES_INPUT = new Set([
  'sin', 'cos', 'log', 'log1p', 'log2', 'log10', 'pow', 'norm', 'cdist', 'atan', 'asin', 'acos', 'sinh', 'cosh', 'erf', 'abs',
  'square', 'cross', 'atan2', 'prod', 'mm', 'matmul', 'bmm', 'einsum', 'dot', 'outer', 'linear', 'gelu', 'silu', 'softplus',
  'leaky_relu', 'mish', 'logsigmoid', 'var', 'std', 'max', 'min', 'amax', 'amin',
]);
/** Modules that save their output (activations). Modules with weights save their input. */
export const OUTPUT_SAVING_MODULES = new Set(['torch.nn.ReLU', 'torch.nn.Sigmoid', 'torch.nn.Tanh', 'torch.nn.Softmax', 'torch.nn.LogSoftmax', 'torch.nn.ELU', 'torch.nn.ReLU6', 'torch.nn.Hardtanh']);

/**
 * Operations whose backward PyTorch cannot differentiate again: a second derivative through them (a loss
 * on a `create_graph=True` gradient, a Hessian-vector product) raises "the derivative for '<backward>'
 * is not implemented". Each entry was run on PyTorch 1.13 (test/ground-truth/); grid_sample's is
 * pytorch/pytorch#34704 and cdist's #83510, both open. `backward` is the function the error names.
 * `torch.cdist` takes that path unless `compute_mode="use_mm_for_euclid_dist"` with p = 2; by default
 * (p = 2, "use_mm_for_euclid_dist_if_necessary") it does so only when both point sets have at most
 * 25 rows (`cdistTakesNoDoublePath` in the analysis).
 */
const TCNN_BACKWARD = 'tcnn::backward_backward_input';

export const NO_DOUBLE_BACKWARD: Readonly<Record<string, string>> = {
  'torch.nn.functional.grid_sample': 'grid_sampler_2d_backward',
  'torch.grid_sampler': 'grid_sampler_2d_backward',
  'torch.grid_sampler_2d': 'grid_sampler_2d_backward',
  'torch.grid_sampler_3d': 'grid_sampler_3d_backward',
  'torch.cdist': '_cdist_backward',
  'torch.pdist': '_pdist_backward',
  'torch.nn.functional.pdist': '_pdist_backward',
  'torch.nn.functional.ctc_loss': '_ctc_loss_backward',
  'torch.nn.functional.multi_margin_loss': 'multi_margin_loss_backward',
  'torch.nn.functional.multilabel_margin_loss': 'multilabel_margin_loss_backward',
  'torch.nn.functional.embedding_bag': '_embedding_bag_dense_backward',
  'torch.segment_reduce': '_segment_reduce_backward',
  // derivatives.yaml has `hardsigmoid` but no `hardsigmoid_backward` entry (PyTorch 1.13 raises "derivative for
  // aten::hardsigmoid_backward is not implemented"; the 2.x file, which added `hardswish_backward`, still has none).
  'torch.nn.functional.hardsigmoid': 'hardsigmoid_backward',
  // Modules: the module's call goes through the same operation.
  'torch.nn.Hardsigmoid': 'hardsigmoid_backward',
  // torchvision.ops (0.14, with PyTorch 1.13): their C++ autograd functions raise "double backwards on roi_align not
  // supported" on a second differentiation (pytorch/vision issue 1982, open; test/fixtures/lint/AGL026/bad_vision.py
  // runs each). Functions under both names, and the modules built on them.
  ...visionOps(['roi_align', 'roi_pool', 'ps_roi_align', 'ps_roi_pool', 'deform_conv2d']),
  // tiny-cuda-nn's fully fused networks (a CUDA extension; not installable here): "second derivatives are not supported
  // by the tiny-cuda-nn's neural networks. Only by the hash encoding" (its maintainer, NVlabs/tiny-cuda-nn issues 156
  // and 50; sdfstudio issue 257: an eikonal loss raises "DifferentiableObject::backward_backward_input_impl: not
  // implemented error"). `tcnn.Encoding` is left out: the hash grid differentiates twice.
  ...Object.fromEntries(
    ['Network', 'NetworkWithInputEncoding'].flatMap((c) => [[`tinycudann.${c}`, TCNN_BACKWARD], [`tinycudann.modules.${c}`, TCNN_BACKWARD]]),
  ),
};

/** `torchvision.ops.X`, `torchvision.ops.<module>.X` and the modules that call X, mapped to `torchvision::X`. */
function visionOps(names: readonly string[]): Record<string, string> {
  const modules: Record<string, { file: string; classes: string[] }> = {
    roi_align: { file: 'roi_align', classes: ['RoIAlign', 'MultiScaleRoIAlign'] },
    roi_pool: { file: 'roi_pool', classes: ['RoIPool'] },
    ps_roi_align: { file: 'ps_roi_align', classes: ['PSRoIAlign'] },
    ps_roi_pool: { file: 'ps_roi_pool', classes: ['PSRoIPool'] },
    deform_conv2d: { file: 'deform_conv', classes: ['DeformConv2d'] },
  };
  const out: Record<string, string> = {};
  for (const n of names) {
    const m = modules[n]!;
    const op = `torchvision::${n}`;
    out[`torchvision.ops.${n}`] = op;
    out[`torchvision.ops.${m.file}.${n}`] = op;
    for (const c of m.classes) {
      out[`torchvision.ops.${c}`] = op;
      out[`torchvision.ops.${c === 'MultiScaleRoIAlign' ? 'poolers' : m.file}.${c}`] = op;
    }
  }
  return out;
}

/**
 * The error PyTorch raises on the second differentiation through an operation of NO_DOUBLE_BACKWARD: ATen's
 * "the derivative for '<backward>' is not implemented", torchvision's "double backwards on <op> not supported".
 */
export function noDoubleBackwardError(backward: string): string {
  if (backward === TCNN_BACKWARD) return 'DifferentiableObject::backward_backward_input_impl: not implemented error';
  return backward.startsWith('torchvision::')
    ? `double backwards on ${backward.slice('torchvision::'.length)} not supported`
    : `the derivative for '${backward}' is not implemented`;
}
/** The decorator that makes a custom `autograd.Function`'s backward refuse a second differentiation. */
export const ONCE_DIFFERENTIABLE = new Set(['torch.autograd.function.once_differentiable', 'torch.autograd.once_differentiable']);

/**
 * Uniform random draws whose shape is given by an argument (a `.size()`/`.shape`), and those shaped like
 * a tensor argument (`rand_like`): an interpolation weight drawn with them is per element when the shape
 * is a whole batch's. The NumPy draws take the shape as `size=` or their first argument.
 */
export const UNIFORM_RANDOM_SHAPED = new Set(['torch.rand', 'numpy.random.random', 'numpy.random.random_sample', 'numpy.random.rand', 'numpy.random.uniform', 'numpy.random.sample']);
export const UNIFORM_RANDOM_LIKE = new Set(['torch.rand_like']);
/** In-place uniform fills (`torch.FloatTensor(x.size()).uniform_()`, `x.new(x.size()).uniform_()`). */
export const UNIFORM_FILL_METHODS = new Set(['uniform_']);

/**
 * Libraries whose objects return results without a graph: a loss made of them trains nothing, and a
 * derivative through them fails with "appears to not have been used in the graph". Keyed by the prefix of
 * the class's qualified name; `methods` are the methods whose results are graph-less.
 *
 * Captum (`captum.attr.*`: `Saliency`, `IntegratedGradients`, `DeepLift`, `GradientShap`, `LayerGradCam`,
 * `NoiseTunnel`, `FeatureAblation`, ...): gradient methods compute attributions with
 * `torch.autograd.grad` without `create_graph` (captum/_utils/gradient.py, `compute_gradients` and
 * `compute_layer_gradients_and_eval`), perturbation methods run the model under `torch.no_grad()`
 * (feature_ablation.py, shapley_value.py, lime.py). Captum's source (faac087, October 2025) passes
 * `create_graph` nowhere; the maintainers' answers in pytorch/captum#652 and #762 say a graph needs a patched
 * gradient function. `attribute` is the method of every attribution class.
 */
export interface GraphlessSpec {
  methods: ReadonlySet<string>;
  library: string;
  why: string;
  /**
   * Classes (last name) whose result multiplies the graph-less gradient by the inputs themselves (`inputs *
   * grads`, `(inputs - baselines) * grads`): it keeps a graph to the inputs through that factor only, never to
   * the model's parameters (pytorch/captum#762: IntegratedGradients' attributions have a `grad_fn`).
   */
  inputGraph: ReadonlySet<string>;
}
export const GRAPHLESS_RESULTS: Readonly<Record<string, GraphlessSpec>> = {
  'captum.attr.': {
    methods: new Set(['attribute']),
    inputGraph: new Set(['IntegratedGradients', 'InputXGradient', 'DeepLift', 'DeepLiftShap', 'GradientShap']),
    library: 'Captum',
    why: 'Captum computes attributions with `torch.autograd.grad` without `create_graph` (or under `torch.no_grad()`)',
  },
};

/** The tables' entries listed once (the lookups below run at every library call; the tables never change). */
const GRAPHLESS_ENTRIES = Object.entries(GRAPHLESS_RESULTS);

/** The entry of GRAPHLESS_RESULTS for a class's qualified name, or null. */
export function graphlessLibrary(q: string): (GraphlessSpec & { prefix: string }) | null {
  for (const [prefix, spec] of GRAPHLESS_ENTRIES) if (q.startsWith(prefix)) return { prefix, ...spec };
  return null;
}

/**
 * Library objects whose calls differentiate the model they wrap: gradient-based adversarial attacks and class
 * activation maps build the model's graph and call `backward()` / `torch.autograd.grad` inside the call, without
 * switching recording on. Called under `torch.no_grad()`, `torch.inference_mode()` or in a Lightning evaluation hook,
 * they raise "element 0 of tensors does not require grad and does not have a grad_fn". Keys are prefixes of the
 * constructor's qualified name; `classes` (last names) restricts a prefix to its gradient-based classes (black-box
 * attacks and gradient-free CAMs run without autograd); `methods` are the methods that differentiate (`__call__`: the
 * object called).
 */
export interface DifferentiatesInside {
  classes: ReadonlySet<string> | null;
  methods: ReadonlySet<string>;
  library: string;
  why: string;
}
export const DIFFERENTIATES_INSIDE: Readonly<Record<string, DifferentiatesInside>> = {
  // advertorch/attacks/iterative_projected_gradient.py, perturb_iterative: `delta.requires_grad_()`, `loss.backward()`
  // (BorealisAI/advertorch#79: perturb under no_grad raises; the maintainer: remove the no_grad). Not the FAB attacks
  // (fast_adaptive_boundary.py switches `torch.enable_grad()` on itself) nor the black-box ones (SPSA, local search).
  'advertorch.attacks.': {
    classes: new Set([
      'GradientAttack', 'GradientSignAttack', 'FGM', 'FGSM', 'FastFeatureAttack', 'L2BasicIterativeAttack', 'LinfBasicIterativeAttack',
      'PGDAttack', 'LinfPGDAttack', 'L2PGDAttack', 'L1PGDAttack', 'SparseL1DescentAttack', 'MomentumIterativeAttack',
      'L2MomentumIterativeAttack', 'LinfMomentumIterativeAttack', 'CarliniWagnerL2Attack', 'ElasticNetL1Attack', 'DDNL2Attack',
      'DeepfoolLinfAttack', 'LBFGSAttack', 'SpatialTransformAttack', 'JacobianSaliencyMapAttack', 'JSMA',
    ]),
    methods: new Set(['perturb', '__call__']),
    library: 'advertorch',
    why: 'an advertorch attack differentiates the loss with respect to the input (`loss.backward()`)',
  },
  // torchattacks/attacks/pgd.py and the other gradient attacks: `torch.autograd.grad(cost, adv_images)` in `forward`,
  // which `Attack.__call__` runs without switching recording on. Not APGD/APGDT/FAB (they use `torch.enable_grad()`),
  // nor the black-box attacks (Square, OnePixel, Pixle, SPSA) and noise (GN, VANILA).
  'torchattacks.': {
    classes: new Set([
      'BIM', 'CW', 'DeepFool', 'DIFGSM', 'EADEN', 'EADL1', 'EOTPGD', 'FFGSM', 'FGSM', 'Jitter', 'JSMA', 'MIFGSM', 'NIFGSM', 'PGD', 'PGDL2',
      'PGDRS', 'PGDRSL2', 'PIFGSM', 'PIFGSMPP', 'RFGSM', 'SINIFGSM', 'SparseFool', 'TIFGSM', 'TPGD', 'UPGD', 'VMIFGSM', 'VNIFGSM',
    ]),
    methods: new Set(['__call__', 'forward']),
    library: 'torchattacks',
    why: 'a torchattacks gradient attack differentiates the loss with respect to the images (`torch.autograd.grad`)',
  },
  // pytorch_grad_cam/base_cam.py, BaseCAM.forward: `loss.backward(retain_graph=True)` for the gradient-based CAMs
  // (jacobgil/pytorch-grad-cam#187, #381: a CAM under no_grad or in a Lightning evaluation hook raises).
  'pytorch_grad_cam.': {
    classes: new Set(['GradCAM', 'GradCAMPlusPlus', 'XGradCAM', 'HiResCAM', 'LayerCAM', 'EigenGradCAM', 'GradCAMElementWise', 'FullGrad']),
    methods: new Set(['__call__', 'forward']),
    library: 'pytorch-grad-cam',
    why: 'a gradient-based CAM calls `backward()` on the class score to weight the activations',
  },
  // torchcam/methods/gradient.py (torchcam.cams in releases before 0.3), _GradCAM._backprop: `torch.autograd.grad` (earlier
  // `loss.backward`) of the class score with respect to the hooked activations, which the extractor's forward hooks keep
  // (frgfm/torch-cam#217: the forward pass and the extractor under no_grad raise). SmoothGradCAMpp also runs the model
  // itself on noisy inputs inside the call. Not the gradient-free CAM, ScoreCAM, SSCAM, ISCAM.
  'torchcam.': {
    classes: new Set(['GradCAM', 'GradCAMpp', 'SmoothGradCAMpp', 'XGradCAM', 'LayerCAM']),
    methods: new Set(['__call__']),
    library: 'torchcam',
    why: 'a torchcam gradient CAM differentiates the class score with respect to the hooked activations',
  },
  // art/estimators/classification/pytorch.py, loss_gradient/class_gradient: `loss.backward()` on the wrapped model
  // (Trusted-AI/adversarial-robustness-toolbox#498: "White-box attacks like ProjectedGradientDescent will not work
  // inside of a `with torch.no_grad:` block").
  'art.attacks.evasion.': {
    classes: new Set([
      'FastGradientMethod', 'ProjectedGradientDescent', 'ProjectedGradientDescentPyTorch', 'BasicIterativeMethod', 'MomentumIterativeMethod',
      'AutoProjectedGradientDescent', 'CarliniL2Method', 'CarliniLInfMethod', 'DeepFool', 'ElasticNet',
    ]),
    methods: new Set(['generate']),
    library: 'ART',
    why: 'a white-box ART attack takes the loss gradient of the wrapped PyTorch model (`loss.backward()`)',
  },
};

/**
 * Library functions that differentiate the model they are given inside the call, as DIFFERENTIATES_INSIDE's
 * objects do: CleverHans' PyTorch attacks (cleverhans/torch/attacks/: `loss.backward()` on an input copy that
 * requires grad; `projected_gradient_descent` calls `fast_gradient_method`). Not `spsa` or `hop_skip_jump_attack`
 * (black-box) nor `noise`/`semantic`. Keys are prefixes of the qualified name; `functions` are the last names.
 */
export const DIFFERENTIATING_FUNCTIONS: Readonly<Record<string, { functions: ReadonlySet<string>; library: string; why: string }>> = {
  'cleverhans.torch.attacks.': {
    functions: new Set(['fast_gradient_method', 'projected_gradient_descent', 'carlini_wagner_l2', 'sparse_l1_descent']),
    library: 'CleverHans',
    why: 'a CleverHans gradient attack calls `backward()` on the loss of a copy of the input',
  },
};

/**
 * Captum's attribution classes by their last name (GRAPHLESS_RESULTS gives their behaviour by prefix): the gradient
 * methods and their layer and noise variants, whose names no other library known here uses.
 */
const CAPTUM_ATTRIBUTION_CLASSES: readonly string[] = [
  'IntegratedGradients', 'Saliency', 'DeepLift', 'DeepLiftShap', 'GradientShap', 'InputXGradient', 'GuidedBackprop',
  'GuidedGradCam', 'LayerGradCam', 'LayerIntegratedGradients', 'LayerConductance', 'NeuronConductance', 'NoiseTunnel',
];

/**
 * Class names that only one library known here defines (DIFFERENTIATES_INSIDE's attacks and CAMs, Captum's attributions),
 * with the qualified name they have there: a snippet that uses one without importing it (forum posts and issues leave
 * out their imports, as they do for `torch` and `nn`) means that library's class. Names two known libraries share
 * (`FGSM`, `GradCAM`, `DeepFool`, `JSMA`, `LayerCAM`, `XGradCAM`), names shorter than eight characters (`PGD`, `CW`,
 * `BIM`: a project's own attack is often called so) and names other libraries use for something else (ART's
 * `ElasticNet`, scikit-learn's regression) are left out: their meaning is a guess. The semantic model uses this only for
 * a name bound nowhere in the file of a file without star imports (`SemanticModel.libraryClassAlias`).
 */
export const UNIMPORTED_LIBRARY_CLASSES: ReadonlyMap<string, string> = (() => {
  const byName = new Map<string, string[]>();
  const add = (name: string, q: string): void => {
    const list = byName.get(name) ?? [];
    list.push(q);
    byName.set(name, list);
  };
  for (const [prefix, spec] of Object.entries(DIFFERENTIATES_INSIDE)) for (const c of spec.classes ?? []) add(c, `${prefix}${c}`);
  for (const c of CAPTUM_ATTRIBUTION_CLASSES) add(c, `captum.attr.${c}`);
  const out = new Map<string, string>();
  for (const [name, qs] of byName) if (qs.length === 1 && name.length >= 8 && name !== 'ElasticNet') out.set(name, qs[0]);
  return out;
})();

const DIFFERENTIATING_ENTRIES = Object.entries(DIFFERENTIATING_FUNCTIONS);
const DIFFERENTIATES_INSIDE_ENTRIES = Object.entries(DIFFERENTIATES_INSIDE);

/** The entry of DIFFERENTIATING_FUNCTIONS for a function's qualified name, or null. */
export function differentiatingFunction(q: string): { library: string; why: string } | null {
  for (const [prefix, spec] of DIFFERENTIATING_ENTRIES) {
    if (q.startsWith(prefix) && spec.functions.has(q.slice(q.lastIndexOf('.') + 1))) return spec;
  }
  return null;
}

/** The entry of DIFFERENTIATES_INSIDE for a constructor's qualified name, or null. */
export function differentiatesInside(q: string): DifferentiatesInside | null {
  for (const [prefix, spec] of DIFFERENTIATES_INSIDE_ENTRIES) {
    if (!q.startsWith(prefix)) continue;
    if (spec.classes && !spec.classes.has(q.slice(q.lastIndexOf('.') + 1))) continue;
    return spec;
  }
  return null;
}

/**
 * Library calls that run a callable they are given with grad mode off (the forward of an `autograd.Function`
 * they implement): a derivative taken inside that callable records nothing and raises "element 0 of tensors does
 * not require grad", unless the callable switches recording back on with `torch.enable_grad()`. `callable` is the
 * position of the callable, or the keyword that passes it (`event_fn=`); `args` says what it is called with: the
 * call's positional arguments after it (`'rest'`), or `'ode'` for an ODE right-hand side `func(t, y)` (the call's
 * time `t` at position 2 and state `y0` at position 1, made without recording). `unless` names a keyword whose literal
 * value turns the behaviour off.
 */
/** An argument of a library call: its position, and the keyword it may be passed by. */
export interface ArgRef {
  pos: number;
  kw: string;
}

export interface RunsWithoutRecording {
  /** The callable: its position (given positionally) or its keyword (keyword-only). */
  callable: number | string;
  /**
   * What the library passes it: `rest`, the call's positional arguments after a positional callable
   * (`checkpoint(fn, *args)`); or an ODE right-hand side's `(t, y)`, taken from the arguments named here.
   */
  args: 'rest' | { ode: { t: ArgRef; y: ArgRef } };
  unless?: { keyword: string; value: boolean };
  why: string;
}
/**
 * `torch.utils.checkpoint.checkpoint`. Its reentrant variant (the default in PyTorch 1.13 and 2.x, `use_reentrant=True`)
 * cannot be differentiated by `torch.autograd.grad` ("Checkpointing is not compatible with .grad() or when an `inputs`
 * parameter is passed to .backward()") and its backward builds no graph under `create_graph=True` (the gradient of a
 * gradient penalty then raises "element 0 of tensors does not require grad"); both run with PyTorch 1.13
 * (test/fixtures/lint/AGL026/bad_checkpoint.py). The non-reentrant variant differentiates twice.
 */
export const TORCH_CHECKPOINT = 'torch.utils.checkpoint.checkpoint';
export const TORCH_CHECKPOINT_ERROR = 'Checkpointing is not compatible with .grad() or when an `inputs` parameter is passed to .backward()';

/** `odeint_adjoint(func, y0, t, ...)` calls `func(t, y)`; `odeint_event(func, y0, t0, *, event_fn, ...)` calls `event_fn(t, y)`. */
const ODEINT_ARGS: RunsWithoutRecording['args'] = { ode: { t: { pos: 2, kw: 't' }, y: { pos: 1, kw: 'y0' } } };
const ODEINT_EVENT_ARGS: RunsWithoutRecording['args'] = { ode: { t: { pos: 2, kw: 't0' }, y: { pos: 1, kw: 'y0' } } };

export const RUNS_WITHOUT_RECORDING: Readonly<Record<string, RunsWithoutRecording>> = {
  // torch/utils/checkpoint.py: CheckpointFunction.forward runs `run_function` under torch.no_grad(); the default
  // (and PyTorch 1.13's only default) is the reentrant variant.
  'torch.utils.checkpoint.checkpoint': {
    callable: 0,
    args: 'rest',
    unless: { keyword: 'use_reentrant', value: false },
    why: 'torch.utils.checkpoint (reentrant: the function runs under torch.no_grad() in the forward pass)',
  },
  // torchdiffeq/_impl/adjoint.py: OdeintAdjointMethod.forward solves the ODE under torch.no_grad(), calling func.
  'torchdiffeq.odeint_adjoint': {
    callable: 0,
    args: ODEINT_ARGS,
    why: 'torchdiffeq.odeint_adjoint (func runs under torch.no_grad() while the forward solve runs)',
  },
  'torchdiffeq._impl.adjoint.odeint_adjoint': {
    callable: 0,
    args: ODEINT_ARGS,
    why: 'torchdiffeq.odeint_adjoint (func runs under torch.no_grad() while the forward solve runs)',
  },
  // torchdiffeq/_impl/solvers.py and rk_common.py: the event location evaluates `event_fn(t, y)` under
  // torch.no_grad() (torchdiffeq issue 179, the maintainer: "there are some torch.no_grad() that wraps around the event
  // function evaluations"); `func` itself is integrated with recording on.
  'torchdiffeq.odeint_event': {
    callable: 'event_fn',
    args: ODEINT_EVENT_ARGS,
    why: 'torchdiffeq.odeint_event (event_fn runs under torch.no_grad() while the event is located)',
  },
  'torchdiffeq._impl.odeint.odeint_event': {
    callable: 'event_fn',
    args: ODEINT_EVENT_ARGS,
    why: 'torchdiffeq.odeint_event (event_fn runs under torch.no_grad() while the event is located)',
  },
};

/** Operations that return `(values, indices)` (`torch.topk`, `x.sort()`); the reductions only when given a dimension. */
export const VALUES_AND_INDICES = new Set(['topk', 'sort', 'kthvalue', 'cummax', 'cummin']);
export const REDUCTIONS_WITH_INDICES = new Set(['max', 'min', 'median', 'nanmedian', 'mode']);
