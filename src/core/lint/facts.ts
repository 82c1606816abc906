/**
 * Facts the engine reads from the whole file's text rather than from a statement: that the file names
 * `torch` somewhere, runs TensorFlow eagerly, ... Rules and the analysis read them through
 * `SemanticModel.fileFact`, which notes each one read, so that the re-lint by groups (`incremental.ts`)
 * can check that a group's file gives the same answer as the whole file (and join the group to a
 * statement that has the fact otherwise). Every such test of the whole text belongs here.
 *
 * Each fact holds for a text when it holds for one of its top-level statements: no pattern can match
 * across two statements. `code` facts read the text with comments and strings blanked out.
 */

/** Signs that a file runs TensorFlow 2 eagerly (AGL021). */
export const EAGER = /\b(?:GradientTape|numpy\(\)|tf\.function|run_eagerly|executing_eagerly)\b|@tf\.function/;

/**
 * Signs that a file runs TensorFlow 1 style graph mode, where `tf.gradients` is right (AGL021), or Keras on the Theano
 * backend (`import theano`, `K.T.max`), where `K.gradients` builds a Theano graph and there is no eager execution.
 */
export const GRAPH_MODE = /\b(?:Session|placeholder|get_variable|disable_eager_execution|disable_v2_behavior|compat\.v1|get_default_graph|InteractiveSession|theano)\b/;

/** A second derivative in PyTorch: nested torch.func/functorch transforms, a Hessian, or a graph kept for one (AGL022). */
export const TORCH_NESTED = /\b(?:jacfwd|jacrev|hessian|grad|vjp|jvp)\s*\(\s*(?:[\w.]+\.)?(?:jacfwd|jacrev|grad|vjp|jvp)\s*\(|\bhessian\s*\(/;
export const TORCH_GRAPH = /\bcreate_graph\s*=\s*True/;

export const FILE_FACTS = {
  /** AGL013, AGL020, AGL022: TensorFlow and JAX tensors are immutable, so in-place rules need PyTorch. */
  'torch-word': { re: /\btorch\b/, code: false },
  /** AGL021. */
  'tf-eager': { re: EAGER, code: false, needles: ['GradientTape', 'numpy()', 'tf.function', 'run_eagerly', 'executing_eagerly'] },
  'tf-graph-mode': { re: GRAPH_MODE, code: false, needles: ['Session', 'placeholder', 'get_variable', 'disable_eager_execution', 'disable_v2_behavior', 'compat.v1', 'get_default_graph', 'theano'] },
  /** AGL022. */
  'torch-nested-derivative': { re: TORCH_NESTED, code: true, needles: ['jacfwd', 'jacrev', 'hessian', 'grad', 'vjp', 'jvp'] },
  'torch-create-graph': { re: TORCH_GRAPH, code: true, needles: ['create_graph'] },
  /** The analysis: Lightning's evaluation hooks run under no_grad instead of inference mode. */
  'lightning-inference-off': { re: /inference_mode\s*=\s*False/, code: false, needles: ['inference_mode'] },
  /** The analysis (`unreadAfter`): the file may read variables by name. */
  'dynamic-names': { re: /\b(?:globals|locals|vars|eval|exec)\s*\(/, code: false, needles: ['globals', 'locals', 'vars', 'eval', 'exec'] },
  /** AGL045: a file that imports JAX or a JAX library (its loss functions follow JAX's `loss(params, ...)` convention). */
  'jax-import': { re: /^[ \t]*(?:from|import)[ \t]+(?:jax|flax|equinox|optax|haiku)\b/m, code: true, needles: ['jax', 'flax', 'equinox', 'optax', 'haiku'] },
  /** `SemanticModel.snippetAlias`: a JAX-style snippet calls `grad(...)`, uses `np.`, and never names a framework. */
  'snippet-grad-call': { re: /(?:^|[^.\w])(?:grad|value_and_grad|jacfwd|jacrev|hessian)\s*\(/m, code: false, needles: ['grad', 'jacfwd', 'jacrev', 'hessian'] },
  'snippet-np': { re: /(?:^|[^.\w])j?np\.\w/m, code: false, needles: ['np.'] },
  /** `SemanticModel.snippetAlias`: `jax.grad(` and the other derivative transforms called by their full name, and `jnp.` used. */
  'snippet-jax-transform': { re: /(?:^|[^.\w])jax\.(?:grad|value_and_grad|jacfwd|jacrev|hessian)\s*\(/m, code: false, needles: ['jax.'] },
  'snippet-jnp': { re: /(?:^|[^.\w])jnp\.\w/m, code: false, needles: ['jnp.'] },
  /** `SemanticModel.snippetAlias`: JAX's old module `api` (`from jax import api`; `api.grad(f)`) used without its import. */
  'snippet-jax-api': { re: /(?:^|[^.\w])api\.(?:grad|value_and_grad|jit|vmap|pmap|jacfwd|jacrev|hessian|vjp|jvp)\s*\(/m, code: false, needles: ['api.'] },
  'snippet-framework': { re: /(?:^|[^.\w])(?:torch|tf|tensorflow|keras|nn|F|autograd)\.\w/m, code: false, needles: ['torch.', 'tf.', 'tensorflow.', 'keras.', 'nn.', 'F.', 'autograd.'] },
  /** `SemanticModel.kerasAlias`: a Keras snippet uses `K.`/`keras.`/`tf.` and names no other framework. */
  'snippet-keras': { re: /(?:^|[^.\w])(?:K|keras|tf)\.\w/m, code: false, needles: ['K.', 'keras.', 'tf.'] },
  'snippet-other-framework': { re: /(?:^|[^.\w])(?:torch|nn|F|autograd|jax|jnp|flax|hk|eqx|mx|paddle|chainer|theano|T)\.\w/m, code: false, needles: ['torch.', 'nn.', 'F.', 'autograd.', 'jax.', 'jnp.', 'flax.', 'hk.', 'eqx.', 'mx.', 'paddle.', 'chainer.', 'theano.', 'T.'] },
} as const;

export type FileFact = keyof typeof FILE_FACTS;
export const FACT_NAMES = Object.keys(FILE_FACTS) as FileFact[];

/**
 * Whether one fact holds for a text; `code` gives the text without comments and strings (asked only for `code` facts).
 * A fact's `needles` are words its pattern cannot match without: when the text contains none of them the pattern is not
 * run (a search for a word is much cheaper than a multi-line pattern tried at every offset), nor is the text without
 * comments and strings built, which has no word the text lacks (it blanks parts out with spaces, in place).
 */
export function factHolds(name: FileFact, text: string, code: () => string): boolean {
  const f: { re: RegExp; code: boolean; needles?: readonly string[] } = FILE_FACTS[name];
  if (f.needles && !f.needles.some((w) => text.includes(w))) return false;
  return f.re.test(f.code ? code() : text);
}

/** The facts that hold for a text, as a bit set (bit i: `FACT_NAMES[i]`); `code` is the text without comments and strings. */
export function factBits(text: string, code: () => string): number {
  let bits = 0;
  let stripped: string | null = null;
  FACT_NAMES.forEach((name, i) => {
    if (factHolds(name, text, () => (stripped ??= code()))) bits |= 1 << i;
  });
  return bits;
}
