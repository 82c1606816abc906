/**
 * AGL002 graph-cut: on the way from the differentiated input to the differentiated output, the value
 * leaves autograd (`.detach()`, `.numpy()`, `.item()`, `math.*`, NumPy, `torch.tensor(t)`, scikit-learn
 * scalers, pandas, Keras `predict`), so the derivative is None, zero or an error far from the cause.
 * TensorFlow tapes (`tape.gradient`) get a TensorFlow message; the cuts AGL008 reports (`.numpy()`,
 * `model.predict` inside a tape) are skipped here, so a mistake is reported once.
 *
 * TensorFlow / Keras training: an operation without a gradient (argmax, round, a cast to an integer, a
 * comparison such as a `tf.where` threshold) between the model and its loss — the loss of
 * `tape.gradient(loss, model.trainable_variables)`, a Keras loss `loss(y_true, y_pred)`, or the input of a
 * further Keras layer — and a Keras loss that never uses `y_pred` while the model's last layers need it.
 */
import { isKind, Kind, requiresGrad, type AV, type ClassRef, type DerivativeEvent, type GraphlessEvent, type KerasLossEvent } from '../analysis';
import { tensorOfValue } from '../analysis/library';
import { moduleName, wrongOptimizerStep } from '../analysis/queries';
import { BOTTOM, join } from '../analysis/values';
import { TF1_FUNCTIONAL_LAYERS, TF_CASTS, TF_NO_GRADIENT, TF_NUMPY_FUNCTIONS, TF_STOP_GRADIENT } from '../knowledge/tensorflow';
import { LOSS_CALLABLE_NAME, DISTRIBUTION_SAMPLE_METHODS, TORCH_NONREPARAM_SAMPLERS, TORCH_PIECEWISE_CONSTANT, TORCH_ZERO_GRAD_FUNCTIONS, ZERO_GRAD_METHODS } from '../knowledge/torch';
import { JAX_CUT_FUNCTIONS, JAX_INTEGER_TYPES, JAX_RANDOM_DISTRIBUTION_ARGS } from '../knowledge/jax';
import type { Rule, RuleContext } from '../rule';
import { bindingValue, rootCalleeName, type CallInfo, type FunctionInfo, type SemanticModel } from '../semantic';
import { contains, field, namedChildren, nodesOfTypes, unparen, walk, type PyNode } from '../tree';
import type { Fix } from '../types';
import { tapeCuts } from './AGL008-tape-vector-target';
import { gradModeAt } from '../grad-mode';
import { findTapes, isTensorFlowOptimizer as isTfOptimizer } from '../tensorflow';

const CUT_METHODS = new Set(['detach', 'numpy', 'item', 'tolist', 'to_numpy', 'predict']);
const SCALER_METHODS = new Set(['transform', 'inverse_transform', 'fit_transform']);
/** `math.f` with a same-named torch function of the same meaning on tensors. */
const MATH_TO_TORCH = new Set(['exp', 'log', 'log2', 'log10', 'log1p', 'expm1', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'sqrt', 'erf', 'erfc', 'floor', 'ceil', 'trunc', 'atan2', 'pow']);
const NUMPY_TO_TORCH = new Set([...MATH_TO_TORCH, 'abs', 'square', 'maximum', 'minimum', 'sigmoid']);

/** Constructors that copy their data into a new tensor. */
/** Tensor methods with a zero derivative wherever defined (`x.round()`, as `torch.round(x)`): no error, no gradient. */
const PIECEWISE_CONSTANT_METHODS = new Set(['sign', 'round', 'floor', 'ceil', 'trunc']);
const REWRAPPERS = new Set(['torch.tensor', 'torch.Tensor', 'torch.FloatTensor', 'torch.DoubleTensor', 'torch.autograd.Variable']);
const LOSS_SINKS = new Set(['backward', 'param-grad', 'training-hook', 'optimizer-closure', 'loss-variable']);

/** Data that is computed by calls of this program (not literals, not NumPy/data loading). */
function computedData(m: SemanticModel, n: PyNode | undefined): boolean {
  if (!n) return false;
  const u = unparen(n);
  if (u.type === 'list' || u.type === 'tuple') {
    const items = namedChildren(u);
    return items.length > 0 && items.every((e) => computedElement(m, e));
  }
  if (u.type === 'list_comprehension' || u.type === 'generator_expression') {
    const body = field(u, 'body');
    return body ? computedElement(m, body) : false;
  }
  return false;
}

/** A list (or comprehension) whose every element is a loss function's value (a `loss-call` sink of the analysis). */
function lossElements(n: PyNode, lossCalls: Set<number>): boolean {
  const u = unparen(n);
  const items = u.type === 'list' || u.type === 'tuple' ? namedChildren(u) : u.type === 'list_comprehension' || u.type === 'generator_expression' ? [field(u, 'body')] : [];
  return items.length > 0 && items.every((e) => !!e && lossCalls.has(unparen(e).id));
}

function computedElement(m: SemanticModel, n: PyNode): boolean {
  const u = unparen(n);
  if (u.type !== 'call') return false;
  const fn = field(u, 'function');
  // `float(x)`, `np.mean(x)`, `len(x)`: numbers, not a network's outputs.
  return fn !== null && fn !== undefined && !/^(?:float|int|len|round|np\.|numpy\.|math\.|range)/.test(fn.type === 'identifier' || fn.type === 'attribute' ? m.textOf(fn) : '');
}

type Cut = { what: string; input: PyNode[] } | null;
const cutCache = new WeakMap<SemanticModel, Map<number, Cut>>();

/** If `node` is an operation that leaves autograd, a short description of it; else null. Cached per model. */
export function graphCut(m: SemanticModel, node: PyNode): Cut {
  let cache = cutCache.get(m);
  if (!cache) cutCache.set(m, (cache = new Map()));
  let r = cache.get(node.id);
  if (r === undefined) {
    r = computeGraphCut(m, node);
    cache.set(node.id, r);
  }
  return r;
}

function computeGraphCut(m: SemanticModel, node: PyNode): Cut {
  if (node.type === 'attribute') {
    const a = field(node, 'attribute');
    const obj = field(node, 'object');
    if (a && obj && m.textOf(a) === 'data' && m.qualifiedName(node) === null) return { what: '`.data`', input: [obj] };
    if (a && obj && m.textOf(a) === 'values' && m.qualifiedName(node) === null && /df|frame/i.test(m.textOf(obj))) return { what: '`.values` (pandas)', input: [obj] };
    return null;
  }
  if (node.type !== 'call') return null;
  const c = m.call(node);
  if (!c) return null;
  const args = [...c.positional, ...c.keywords.values()];
  if (c.method && c.receiver) {
    if (CUT_METHODS.has(c.method)) return { what: `\`.${c.method}()\``, input: [c.receiver] };
    if (SCALER_METHODS.has(c.method) && isScalerLike(m, c)) return { what: `scikit-learn \`${c.method}\``, input: args };
    return null;
  }
  if (c.calleeCall) {
    // `np.vectorize(f)(t)`, `np.poly1d(c)(t)`: a callable made by NumPy computes in NumPy.
    const fn = field(node, 'function');
    return rootCalleeName(c)?.startsWith('numpy.') && fn ? { what: `NumPy \`${m.textOf(fn)}\``, input: args } : null;
  }
  const q = c.qname;
  if (!q) return null;
  if (q === 'float' || q === 'int') return { what: `\`${q}()\``, input: args };
  if (q.startsWith('math.')) return { what: `\`${q}\``, input: args };
  if (q.startsWith('numpy.')) return { what: `NumPy \`${q.replace(/^numpy\./, 'np.')}\``, input: args };
  if (q.startsWith('pandas.')) return { what: `pandas \`${q}\``, input: args };
  if (q === 'torch.tensor' || q === 'torch.Tensor' || q === 'torch.FloatTensor' || q === 'torch.DoubleTensor') return { what: `\`${q}(...)\` (copies the data)`, input: c.positional.slice(0, 1) };
  if (q === 'torch.from_numpy') return { what: '`torch.from_numpy`', input: args };
  if (q === 'torch.autograd.Variable') return { what: '`Variable(...)` (a new leaf holding a copy of the data, without its history)', input: c.positional.slice(0, 1) };
  // `torch.as_tensor((a, b))`: a Python sequence is copied element by element (a tensor or an array is taken as it is).
  // (The analysis makes it a cut only then: here it only names the cut it reports.)
  if (q === 'torch.as_tensor') return { what: '`torch.as_tensor(...)` of a Python sequence of tensors (copies their values)', input: c.positional.slice(0, 1) };
  if (TORCH_NONREPARAM_SAMPLERS.has(q)) return { what: `\`${q}\` (a random draw: no gradient reaches the tensors it is drawn from)`, input: args };
  return null;
}

function isScalerLike(m: SemanticModel, c: CallInfo): boolean {
  const r = c.receiver ? unparen(c.receiver) : null;
  if (!r) return false;
  if (/scal|norm|pca|encod|transformer|pipe/i.test(m.textOf(r))) return true;
  if (r.type === 'identifier' && m.isUse(r)) {
    return m.reachingBindings(r).some((b) => {
      const v = b.value ? unparen(b.value) : null;
      const q = v && v.type === 'call' ? m.qualifiedName(v) : null;
      return q !== null && q.startsWith('sklearn.');
    });
  }
  return false;
}

export const AGL002: Rule = {
  meta: {
    code: 'AGL002',
    name: 'graph-cut',
    summary: 'The path from the differentiated input (or a model\'s weights) to the output or loss leaves autograd, or passes only through operations without a gradient, so the derivative is None, zero or an error.',
    framework: 'any',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Follows the value of each input that is differentiated (`torch.autograd.grad(y, x)`, `tape.gradient(y, x)`, ' +
        'or a leaf marked `requires_grad` before `y.backward()`) to the output, and reports the place where it leaves ' +
        'autograd: `.detach()`, `.numpy()`, `.item()`, `.tolist()`, `.data`, `float()`, `math.*`, NumPy functions, ' +
        '`torch.tensor(t)`, `torch.from_numpy`, scikit-learn `transform`/`inverse_transform`, pandas, Keras `predict`, and ' +
        'the results of library calls that are computed without a graph (Captum\'s `attribute` of `Saliency`, ' +
        '`IntegratedGradients` and the other attribution classes). A NumPy array made from the input keeps its cut through ' +
        '`torch.as_tensor(array)`, through helpers and class constructors of the file, and through calls of libraries the ' +
        'analysis cannot see that are given only such arrays (a neighbour search `neighbor_list(np.asarray(pos))`, whose ' +
        'unpacked results are graph-less too). `torch.as_tensor` of a Python list or tuple of tensors (`torch.as_tensor((a, b))`, ' +
        '`torch.as_tensor([w * k for k in scales])`) copies their values into new storage as `torch.tensor` does; ' +
        'of a tensor or an array it is the same data. A callable the analysis cannot resolve, given literal numbers and ' +
        '`requires_grad=True` (`T(660.0, requires_grad=True)` with `T` an alias of `torch.tensor` it cannot see), makes a leaf. ' +
        'It reports only when the output depends on the input through such a cut and through no live path. `.backward()` called ' +
        'on a Python number, list or NumPy array made from a tensor (`loss = criterion(out, y).item()`, `float(loss)`, `.tolist()`, ' +
        '`.numpy()`, also summed in a loop or returned by a helper) is reported at the conversion: it has no `backward` (AttributeError); ' +
        'so is a backward of a tensor that depends on the marked leaves it was computed from only through such a cut and requires ' +
        'no gradient otherwise (`torch.tensor(y.item()).backward()`: "does not require grad"). A training step quoted up to its ' +
        'loss — no backward, derivative or training hook anywhere in the file, and no `.eval()`, `no_grad` or `inference_mode` — ' +
        'is judged without its backward: a loss function\'s value (`loss = loss_fn(output, target)`) whose prediction, the first ' +
        'argument, is a model\'s output taken out of the graph (`model(x).detach()`, `.data`, `torch.tensor(out.tolist())`) and ' +
        'whose other arguments reach nothing trainable is reported, unless its name or its function\'s name says evaluation ' +
        '(`val_loss`, `def evaluate`) and nothing reads it afterwards but a `return` (a loss summed into a running total or ' +
        'converted with `.item()` is being measured); a model defined elsewhere counts (`output = model(input).detach()` in a fragment, with ' +
        '`input` the data, not the builtin). It also reports ' +
        'PyTorch training where `loss.backward()` is called on a loss that depends on the model only through such a cut ' +
        '(argmax or rounded predictions, `.item()`, `.detach()`, NumPy, `torch.tensor(t)`) and requires no gradient ' +
        'otherwise, or only through a leaf made of such a value (`loss.requires_grad = True`, `torch.tensor(preds, ' +
        'requires_grad=True)` of detached predictions) that no optimizer holds and whose `.grad` is never read: marking it ' +
        'silences the error and nothing trains. So is a copy of a leaf the code marked itself (`t_copy = t.detach()` or `t.data`, ' +
        'then `t_copy.requires_grad = True`, in a helper that returns it) when no backward or derivative of the file reaches `t` and ' +
        'nothing wants the copy\'s gradient (no optimizer, `.grad` read, hook, `retain_grad()` or derivative with respect to it): ' +
        'the backward fills the copy\'s `.grad` and `t.grad` stays None. A training iteration quoted up to its forward, with no backward or derivative ' +
        'in the file, is judged without one: such a marked copy of the model\'s output (`.detach().numpy()`, a list, ' +
        '`torch.Tensor(values)`, then `requires_grad = True`) after `optimizer.zero_grad()` or `model.zero_grad()` in the same ' +
        'loop (or function) is reported, since marking a copy serves only to backpropagate through it. The same leaf made of a value computed where autograd did not record ' +
        '(predictions under `with torch.no_grad():`, then `loss.requires_grad = True`; an `inference_mode` output cloned outside ' +
        'the block, `out.clone().requires_grad_()`) is reported when the file makes an optimizer or a network ran inside that ' +
        'region (a `with` block, or a function decorated with `@torch.no_grad()`); a forward function given to a Captum attribution whose `attribute` call is in view (a function of the file, ' +
        'or the `forward` of a module class the file defines given as an instance) when its return value reaches an attributed ' +
        'argument (as many leading parameters as the `inputs` tuple has items, else the first) only through `.detach()`, ' +
        '`.numpy()`, `.item()`, `.data`, a `torch.tensor(...)` re-wrap or, for attributions with respect to the inputs (not a ' +
        '`Layer*` method\'s layer), an integer cast such as `.long()` before an embedding: Captum differentiates that return ' +
        'value, so the attribution raises or is None/zero; a loss that uses a Captum attribution (the attribution term trains nothing, whether or not the rest of ' +
        'the loss is live); `opt.step()` after `loss.backward()` where `opt` holds a module (a generator, an encoder) that ' +
        'the loss reaches only through a cut while it is live through other modules — a generator loss on `fake.detach()`, ' +
        'a VAE encoder behind a draw that is not reparameterized (`torch.normal(mu, std)`, `torch.bernoulli`, a ' +
        '`torch.distributions` object\'s `.sample()`, all drawn without a gradient): nothing raises, and that module never ' +
        'trains; and ' +
        'a loss made of `torch.tensor([...], requires_grad=True)` over values computed by calls (per-stage losses copied ' +
        'into a new leaf to silence "does not require grad"; without a loss in view when the copied values are themselves loss ' +
        'function values and nothing wants the copy\'s gradient): the network behind them gets no gradient; and a term of a ' +
        'trained loss that depends on the model only through an operation without a gradient — `total = ce + ' +
        'dependence_loss(out, y)` where the helper, a loss class\'s method or the term itself takes `argmax`, rounds, compares ' +
        'or casts to an integer type — read from the loss\'s text (`a + b`, `a - b`, a weight times a term, `loss += term`, ' +
        'names bound to such sums in the function), or a term that is a loss function\'s value (`l_bce(pred_fake, fake_label)`, ' +
        'a criterion call or a name bound to one) on a model\'s output detached right at the call (`netd(fake).detach()`, ' +
        '`.data`) or turned into numbers (`value.item()`, `.tolist()`, `.numpy()` of an output, stored during a rollout and ' +
        'rebuilt with `torch.tensor` for an actor-critic\'s value loss) where the model behind the cut is one the loss trains ' +
        'through its other terms (a GAN generator\'s adversarial term, the shared body of an actor-critic): nothing raises, since the loss trains through its other terms, but that ' +
        'term is a constant to the parameters and teaches the model nothing; and `loss.backward()` then `opt.step()` where the ' +
        'loss requires grad only through copies marked `requires_grad=True` in the function (`torch.tensor(preds, requires_grad=True)` ' +
        'of NumPy or pandas predictions, `Variable(loss.data, requires_grad=True)`) and reaches no parameter, while the optimizer ' +
        'was made before the copies (not bound again in the function, no `add_param_group`) and cannot hold them: the step ' +
        'changes nothing; and a cut inside a model\'s own methods — its `forward` or a method it calls (a decoder\'s `sample` ' +
        'returning `.data`, a head taking argmax, a forward that rounds with `.round()`), in this file or in another file of the ' +
        'workspace the file imports the model from — when the loss the caller backpropagates, or the loss a Lightning ' +
        '`training_step` returns (its `"loss"` entry when it returns a dict, also after a helper that detaches every tensor of ' +
        'the dict recursively), reaches the model only through it (then `.backward()` raises or every gradient is zero), or when ' +
        'a `.detach()`/`.data`/NumPy cut in the model\'s method leaves one additive term of a live loss constant to the ' +
        'parameters behind it (reported at the cut; a model in another file is reported at the caller\'s model call and in the ' +
        'model\'s file); and a term of a backpropagated loss that is a name rebound to its own cut copy before the loss is ' +
        'made (`adv = adv.detach().item()` to log it, then `loss = rec + adv`): the term is a constant, read from the text ' +
        'whatever the model is. A loss function the file does not define (`loss(p, y)`, `self.criterion(p, y)`) is taken to compute from ' +
        'its arguments; a loss module the file defines (`class DiceLoss(nn.Module)`, a `_Loss` or `_WeightedLoss` subclass, whose ' +
        '`forward` takes the prediction first whatever it names it) is analysed as the ' +
        'function of its arguments it is, and never taken for the model a training function is given (`def train(model, ...)`). ' +
        'Casts to an integer dtype count as `.long()` does, also when written `.to(torch.long)` or `.type(torch.LongTensor)`. A name ' +
        'such as `crit` is not taken for a loss (it may be a critic). ' +
        'Without a caller in view, a function whose role says a gradient flows through it is judged by itself: a loss (a ' +
        '`*loss*`/`criterion` function or method with a prediction parameter — `pred`, `outputs`, `logits`, `y_pred` — or the ' +
        '`forward(input, target)` of a loss module, `class DiceLoss(nn.Module)`) whose every returned value reads the prediction only ' +
        'through argmax, a threshold, rounding, an integer cast or a copy marked `requires_grad=True` of one; a helper that returns its ' +
        'tensor argument unchanged on one path and a `torch.tensor(..., requires_grad=True)` copy of its threshold on another (a ' +
        'pass-through whose copy is a new leaf: callers\' losses do not reach the argument); a `forward` that detaches the value it ' +
        'carries from layer to layer in a loop over a `ModuleList`/`Sequential` the class builds and returns what the last layer made ' +
        '(the earlier layers never train; not reported when the loop appends each layer\'s output or computes a loss or backward, as ' +
        'decoupled layer-wise training does); and a loss that is trained (`.backward()`, `optimizer.minimize(loss)`, ' +
        '`tape.gradient(loss, ...)`) while the network is not in view, when it reads the network\'s output — a `sigmoid`/`softmax` of ' +
        'a value, a value computed by a network the analysis sees (a Keras `Model` called on the input, whatever the names), or a name that says it holds the output (`outputs`, `logits`, `y_pred`) — only through argmax, a threshold, rounding ' +
        'or an integer cast, and besides that only targets named as such (`y`, `y_true`, `labels`, `targets`) and tensor operations ' +
        '(a thresholded teacher used as a student\'s target, a mask weighting a live term, a straight-through estimator are not). ' +
        'JAX: a `jax.grad`/`value_and_grad`/`jacrev` whose function reaches the differentiated argument only through ' +
        '`jax.lax.stop_gradient`, a piecewise-constant function (`jnp.round`/`floor`/`ceil`/`sign`, `argmax`/`argmin`/`argsort`, ' +
        '`jnp.greater` and the other comparisons, also written `a > b`), a cast to integers (`x.astype(jnp.int32)`, `.astype(int)`, ' +
        '`jnp.int32(x)`, `int(x)`), or a discrete random draw whose distribution is the differentiated value ' +
        '(`jax.random.bernoulli(key, p)`, `categorical(key, logits)`, `choice(..., p=p)`, `poisson`, `binomial`) with no ' +
        'log-probability term beside it (the gradient is all zeros, no error) or a ' +
        'Python `float(x)`/`x.item()` (which JAX makes raise on a tracer rather than drop the derivative); NumPy on a traced ' +
        'value is AGL052\'s. For a ' +
        'TensorFlow `tape.gradient` the message speaks of the tape; `.numpy()` and `model.predict` inside a tape are ' +
        'left to AGL008, which names the tape, so one mistake gets one diagnostic.\n\n' +
        'TensorFlow and Keras training: an operation without a gradient — `tf.argmax`/`argmin`, `round`, `floor`, `ceil`, ' +
        '`sign`, a comparison (the condition of a `tf.where` threshold), a cast to an integer or boolean dtype, `K.*` ' +
        'equivalents, a Keras `Lambda` layer of one of them, `tf.Variable(value)` (a new Variable holding a copy) — found (1) between `model(x)` and the loss of ' +
        '`tape.gradient(loss, model.trainable_variables)` when the loss reaches that model through no other path; (2) in a ' +
        'Keras loss `loss(y_true, y_pred)` (passed to `compile(loss=...)`, or named as a loss and computed with TensorFlow) ' +
        'when it is the only way the loss depends on `y_pred` — the loss is analysed as Keras calls it, with `y_pred` standing ' +
        'for the model\'s output (a method counts too: `compile(loss=self.custom_loss)`, a loss-named method with the prediction second ' +
        'after `self`, also quoted without its class, and `call(self, y_true, y_pred)` of a `tf.keras.losses.Loss` subclass; a loss ' +
        'quoted without its `return` is judged by every value its assignments compute from the prediction); a loss given to `compile` that converts `y_pred` with NumPy or SciPy (`np.clip(y_pred)`, ' +
        '`scipy.special.xlogy`, `y_pred.numpy()`) and reaches it through nothing else is reported too (Keras traces the loss: the ' +
        'symbolic tensor cannot be converted, and run eagerly the loss has no gradient), as is `tf.numpy_function` anywhere on ' +
        'the way ("you cannot take gradients through a numpy_function"); a function made and returned by a loss-named factory ' +
        '(`def custom_loss(k): def rhos(y_true, y_pred): ...; return rhos`) is a Keras loss; (3) in the middle of a Keras layer graph, when its output is fed to a further layer; (3b) at ' +
        'the output of a functional Keras model (`Model(inputs, outputs)`) compiled for training, when every output is made by ' +
        'it (a subclassed `Layer` whose `call` rounds, a `Lambda` of argmax); (3c) at the last layer of a `Sequential` (from a ' +
        'list or `add()`) or in the `call` of a subclassed `Model` whose every return has no gradient (`Lambda(K.round)`, ' +
        '`Lambda(lambda x: tf.cast(x > 0.5, tf.float32))`, a `Layer` whose `call`, or Keras 0.x `get_output`, rounds or casts to ' +
        'an integer type), when the model is compiled, fitted or differentiated under a tape for its `trainable_variables`; (3d) ' +
        'in TF1 graph training, between the `tf.Variable`s (or the layers of `tf.layers.dense`/`conv2d` and ' +
        '`tf.contrib.layers.fully_connected`, which make their Variables when called) and the loss given to `optimizer.minimize(loss)` (`tf.train.*Optimizer`, ' +
        '`tf.compat.v1.train`, a Keras optimizer; bound to a name or to `self.opt`) when the loss reaches the Variables through no ' +
        'other path: `minimize` raises "No gradients provided for any variable" (tensorflow issue 8625, a `tf.floor` threshold). Also (4) ' +
        'a compiled Keras loss that never uses `y_pred` but is computed from a hidden layer\'s output, so the layers after it ' +
        'get no gradient. `tf.stop_gradient` is deliberate and never reported by these training checks. Also (5) a tensor written into a ' +
        '`tf.Variable` with `assign`/`assign_add`/`assign_sub` on the way from a `tape.gradient` source to its target: the ' +
        'Variable\'s state lives outside the graph, the tape does not record the assignment, and the gradient is None ' +
        '(tensorflow issue 30234, meta-learning fast weights assigned into Variables). And (6) `tf.gradients(ys, xs)` or ' +
        '`tape.gradient(ys, xs)` where `ys` is computed from `xs` only through `tf.stop_gradient(xs)` — read from the text, ' +
        'through assignments, `self.attr` stores of the same class and the arguments of calls, so a source whose value is not ' +
        'in view (a constructor argument, another network\'s output) counts: the gradient is None (DDPG\'s critic built on ' +
        '`self.a = tf.stop_gradient(a)` and differentiated with respect to `a`). And (7) a value stopped on every path ' +
        '(`t = jax.lax.stop_gradient(t)`, `tf.stop_gradient`, `.detach()`) and then put through a choice meant to stop it only ' +
        'when a flag says so (`jax.lax.select(flag, stop_gradient(t), t)`, `jnp.where`, `tf.where`, `torch.where`, ' +
        '`t.detach() if flag else t`): both branches are cut, so the flag changes nothing (rlax\'s quantile Q-learning).',
      whyIsThisBad:
        'Autograd records only tensor operations. Once the value is a NumPy array, a Python float or a freshly copied ' +
        'tensor, the output has no recorded dependence on the input: `grad` raises "One of the differentiated Tensors ' +
        'appears to not have been used in the graph" (or returns None with `allow_unused=True`), and `x.grad` stays None. ' +
        'The error points at the `grad` call, far from the line that caused it. In TensorFlow, ArgMax, comparisons and integer ' +
        'casts have no registered gradient and round/sign are piecewise constant: a loss that sees the model only through ' +
        'them gives None for every weight, and `apply_gradients`/`fit` raise "No gradients provided for any variable" (Keras: ' +
        '"An operation has None for gradient ... Common ops without gradient: K.argmax, K.round, K.eval").',
      example: [
        '```python',
        'x = torch.tensor(in_scaler.transform(raw), requires_grad=True)',
        'y = model(x)',
        'y_raw = torch.from_numpy(out_scaler.inverse_transform(y.detach().numpy()))',
        'dy = torch.autograd.grad(y_raw.sum(), x)  # error: x not in the graph of y_raw',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'scale = torch.as_tensor(out_scaler.scale_)',
        'mean = torch.as_tensor(out_scaler.mean_)',
        'y_raw = y * scale + mean            # de-normalize with tensor arithmetic',
        'dy = torch.autograd.grad(y_raw.sum(), x)[0]',
        '```',
      ].join('\n'),
      knownProblems:
        'A loss quoted without its backward is a training loss by assumption: a script that only measures a loss on detached ' +
        'predictions, with no `.eval()`, `no_grad` or evaluation name in view, is reported (the fragment alone cannot tell a ' +
        'measurement from a training step). Only inputs named by a variable are followed. A cut inside a library function (not defined in this file) is ' +
        'not seen. Scikit-learn calls are recognised by the receiver: a variable made by a `sklearn` constructor or ' +
        'named like a scaler/normalizer/pipeline. A loss function made elsewhere (`loss_fn(...)`, `self.criterion(...)`) is ' +
        'taken to have no parameters of its own; values of unknown origin (batches from a loader, parameters of an uncalled ' +
        'function) are taken as data, so a loss whose only other inputs are such values is reported when the model reaches it ' +
        'only through a cut; instance state the file does not show (`self.log_alpha` of a class whose `__init__` is elided or ' +
        'inherited) is not, since it may be a parameter the loss trains (SAC\'s temperature loss). A verb-named loss method (`D.compute_loss(x, y)`) or a loss method of a model-named object runs ' +
        'a network and is not taken so. Captum\'s attributions are recognised by the class\'s import from `captum.attr`, or, in a snippet without ' +
        'imports or star imports, by a gradient attribution class name only Captum defines (`Saliency`, ' +
        '`IntegratedGradients`, `GradientShap`, ...; knowledge `UNIMPORTED_LIBRARY_CLASSES`); a patched ' +
        'gradient function that passes `create_graph=True` (the workaround in pytorch/captum#652) is not seen (`# noqa: AGL002`). ' +
        '`x.detach().requires_grad_(True)` makes a fresh leaf and is not a cut ' +
        'when the derivative is taken with respect to that new leaf, nor when another backward of the function reached `x` before its ' +
        '`.grad` is read (a test comparing the gradient through a function with the gradient through a detached copy). TensorFlow/Keras checks: checked against the ' +
        'TensorFlow and Keras documentation and maintainers\' answers, not run (TensorFlow is not installable where this ' +
        'linter is tested). A model\'s weights are matched to its calls by the text of the model expression ' +
        '(`model.trainable_variables` and `model(x)`). A Keras loss is recognised by `compile(loss=f)` or by a loss name ' +
        'with a prediction parameter second (`y_pred`, `pred`, `logits`, `output`); a metric with the same signature is ' +
        'not a loss and is not checked. A non-differentiable layer whose output is only a model output (class ids next ' +
        'to the probabilities) is fine and not reported; one fed into another layer is, even when that model is only ' +
        'used for prediction (`# noqa: AGL002` there). A model whose every output is such a layer is reported only when it ' +
        'is trained in view (`compile`, `fit`, `train_on_batch`, a tape): a builder that returns it untrained is not. A ' +
        '`Sequential`\'s last layer is the list\'s last item or the last `add()` in the text, whatever branch it is in. A ' +
        'straight-through estimator (`x + tf.stop_gradient(tf.round(x) - x)`) and a `tf.custom_gradient` function keep a ' +
        'gradient and are not reported. `minimize(loss)` is checked only when the cut Variables are visible (`tf.Variable`, a TF1 layer call); a ' +
        'network built by code the file does not show (tensorflow issue 8625 as quoted) is not. A constant loss term is found ' +
        'only among the additive terms of the loss that `.backward()` is called on, in the function of the backward (a loss ' +
        'passed to a helper that calls backward is not split); a term cut by `.detach()` or `.item()` alone is not reported ' +
        '(a detached regularizer is pointless but sometimes written on purpose), only argmax, rounding, comparisons and ' +
        'integer casts. A term used as a target (`ce(aux(x), out.argmax(1))`), as an index (`out.gather(1, out.argmax(1))`) ' +
        'or as the weight of a live term keeps a gradient and is not reported. The stepped copies are recognised only when made ' +
        'in the function of the backward and the optimizer\'s receiver is named like one (`opt`, `optimizer`, `self.optim`); a ' +
        'copy whose `.grad` is read afterwards (an attribution) is not reported. A term cut by `.detach()` or `.data` counts ' +
        'only when the cut sits in a method of a model class (a class with a `forward`) that the training code calls, not in the ' +
        'function of the backward; a model reached only through its caller\'s argument, or through several files and star ' +
        'imports, is not followed, and a cut on one branch of a test the analysis cannot decide (torchMoji\'s `.data` for ' +
        'LongTensor inputs only) is not reported. The rebound term is found among the additive terms of the loss of ' +
        '`.backward()` (weighted by a literal, an attribute, or a name holding a number literal — `lam = 0.5`, a parameter ' +
        '`weight=0.1` — or the name bound to such a sum), when every computed value the name may hold there is the cut copy. ' +
        'A Keras loss method is checked for NumPy conversions only when `compile(loss=self.f)` names it. A JAX derivative is ' +
        'reported only when no path from the differentiated argument to the output avoids the cut; a `stop_gradient` applied to a ' +
        'part of a parameter tree (one sub-network frozen on purpose) is not reported while another part stays live. A value ' +
        'given to a call the analysis cannot see together with a function of the file (`lax.cond(x > 0, lambda _: jnp.log(x), ...)`, ' +
        '`lax.scan(step, ...)`) is not taken to reach the result only through its cut arguments. A JAX function with no derivative ' +
        'in view (the caller not quoted) is checked only when its role is evident: in a file that imports JAX, a function named ' +
        'like a loss whose first parameter is `params` (`variables`, `weights`) is taken to be differentiated with respect to it ' +
        '(JAX\'s convention), and reported when a variable named like a loss reaches a model called with `params` only through a ' +
        'draw, an integer cast, `argmax`/`round` or a comparison; a loss returned without a `*loss*` variable is not checked. The role-based ' +
        'checks assume what the names say: a function named as a loss with a prediction parameter is a loss some caller trains, a ' +
        'parameter named `outputs`/`logits`/`y_pred` holds a network\'s output and one named `y`/`labels`/`targets` holds data; a ' +
        'metric named like a loss that thresholds its prediction would be reported (`# noqa: AGL002`), unless it runs under ' +
        '`@torch.no_grad()` or returns a dict whose entries are not named as losses (DETR\'s logged `cardinality_error`). The trained-loss check without ' +
        'the network in view gives up when the loss reads any other name or calls anything it does not know (a model, a helper); ' +
        'the layer-loop check reads only `for layer in self.<container>` (or `enumerate`) where the class assigns an `nn.ModuleList` ' +
        'or `nn.Sequential` to that attribute.',
      fixSafety:
        '`math.f(t)` → `torch.f(t)` is safe when `t` is a tensor on the differentiated path (it is, or the rule would ' +
        'not fire): same values, and the graph is kept. `np.f(t)` → `torch.f(t)` is unsafe: NumPy functions also ' +
        'accept lists and scalars, return arrays, and differ in dtype promotion, so the result type changes. No fix is ' +
        'offered for a cut on the way to a TensorFlow `tape.gradient` or in a Keras loss: the continuous replacement (soft ' +
        'Dice, cross-entropy on probabilities) is a modelling choice.',
      references: [
        '[Introduction to gradients: getting a gradient of None](https://www.tensorflow.org/guide/autodiff#getting_a_gradient_of_none)',
        '[tf.no_gradient: ops such as tf.size() that are not differentiable](https://www.tensorflow.org/api_docs/python/tf/no_gradient)',
        '[tensorflow/tensorflow#2177: no gradient registered for ArgMax](https://github.com/tensorflow/tensorflow/issues/2177)',
        '[keras-team/keras#11157: backend argmax has None for gradients](https://github.com/keras-team/keras/issues/11157)',
        '[Keras losses: a loss is a callable loss_fn(y_true, y_pred)](https://keras.io/api/losses/)',
        '[tf.numpy_function: you cannot take gradients through a numpy_function](https://www.tensorflow.org/api_docs/python/tf/numpy_function)',
        '[jax.lax.stop_gradient](https://docs.jax.dev/en/latest/_autosummary/jax.lax.stop_gradient.html)',
        '[JAX errors: ConcretizationTypeError](https://docs.jax.dev/en/latest/errors.html#jax.errors.ConcretizationTypeError)',
        '[jax-ml/jax#2783: float(x) errors on tracers so as not to act as a silent stop_gradient](https://github.com/jax-ml/jax/issues/2783)',
        '[pytorch/captum#652: backward through Saliency attributions needs create_graph=True](https://github.com/meta-pytorch/captum/issues/652)',
        '[pytorch/captum#361: an option to create the graph for attributions](https://github.com/meta-pytorch/captum/issues/361)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const a = ctx.analysis;
    const reported = new Set<number>();
    // `.numpy()` / `model.predict(...)` inside a GradientTape are AGL008's (it names the tape): one diagnostic per mistake.
    for (const t of tapeCuts(m)) reported.add(t.cut.node.id);
    // ... and the analysis' `model.predict(...)` of a recorded value inside a tape (also in a helper called there).
    for (const c of a.events.conversions) {
      const t = c.value.t;
      if (t && c.tapes.length > 0 && c.what === '`model.predict(...)`' && (t.variable || t.tapes.some((x) => c.tapes.includes(x)))) reported.add(c.node.id);
    }
    const report = (cutSite: number, at: PyNode, label: string, framework: 'pytorch' | 'tensorflow' | 'jax'): void => {
      if (reported.has(cutSite)) return;
      const node = ctx.tree.nodes[cutSite];
      if (!node) return;
      const graphless = graphlessCut(ctx, node);
      const cut = graphCut(m, node) ?? graphless ?? { what: `\`${ctx.text(node).split('(')[0]}\``, input: [] };
      reported.add(cutSite);
      const line = ctx.lineOf(at);
      if (graphless) {
        ctx.report({
          node,
          message:
            `${cut.what} returns attributions without a graph, on the way from the differentiated input to the output of ${label} ` +
            `(line ${line}): the derivative will be None or raise. Compute the attribution with \`torch.autograd.grad(..., create_graph=True)\` ` +
            'so it can be differentiated.',
          related: [{ node: at, message: 'the derivative is taken here' }],
        });
        return;
      }
      const callee = node.type === 'call' ? field(node, 'function') : null;
      const assign = framework === 'tensorflow' && callee?.type === 'attribute' && /^assign(?:_add|_sub)?$/.test(ctx.text(field(callee, 'attribute') ?? callee));
      const stop = framework === 'tensorflow' && node.type === 'call' && TF_STOP_GRADIENT.has(m.call(node)?.qname ?? '');
      // `tf.round`, `tf.argmax`, a cast to an integer dtype: TensorFlow operations without a gradient, not a step off the tape.
      const tfCall = framework === 'tensorflow' && node.type === 'call' ? m.call(node) : undefined;
      const noGradientOp = !!tfCall?.qname && !TF_NUMPY_FUNCTIONS.has(tfCall.qname) && tfNoGradientCall(m, tfCall);
      const cc = framework === 'pytorch' && node.type === 'call' ? m.call(node) : undefined;
      // `torch.floor(x)`, `x.round()`: a graph whose derivative is zero (the `.grad` is zeros, not None).
      const zeroDerivative = (!!cc?.qname && TORCH_PIECEWISE_CONSTANT.has(cc.qname)) || (!!cc?.method && PIECEWISE_CONSTANT_METHODS.has(cc.method));
      ctx.report({
        node,
        message: stop
          ? `\`${ctx.text(node)}\` stops the gradient on the way from the differentiated source to the target of ${label} (line ${line}), ` +
            'and the target depends on the source through nothing else: the gradient is None. Differentiate with respect to what ' +
            'is not stopped, or do not stop the gradient there.'
          : assign
          ? `\`${ctx.text(callee!)}\` writes the value into a tf.Variable, whose state lives outside the graph: the tape does not ` +
            `record the assignment, so reads of the Variable after it do not depend on the assigned tensor, and ${label} (line ${line}) ` +
            'returns None for the source. Compute with a plain tensor instead (`w = w + x` rather than `w.assign_add(x)`).'
          : noGradientOp
            ? `${cut.what} has no gradient (TensorFlow passes None back through it), and the target of ${label} (line ${line}) depends on ` +
              'the differentiated source only through it: the gradient is None (for a training step, "No gradients provided for any ' +
              'variable"). Compute the target from the continuous value (probabilities, logits) and keep argmax, rounding and ' +
              'integer casts for evaluation.'
          : framework === 'tensorflow'
            ? `${cut.what} takes the value off the tape on the way from the differentiated source to the target of ` +
              `${label} (line ${line}): the tape records only TensorFlow operations, so the gradient will be None. ` +
              'Keep the computation in TensorFlow operations (`tf.math.*`).'
            : zeroDerivative
            ? `${cut.what} has a zero derivative wherever it is defined, and the output of ${label} (line ${line}) depends on ` +
              'the differentiated input only through it: the gradient is all zeros (no error). Compute from the continuous value ' +
              '(a sigmoid, a soft rounding, a straight-through estimator `x + (x.round() - x).detach()`) and keep rounding for metrics.'
            : `${cut.what} takes the value out of autograd on the way from the differentiated input to the output of ` +
              `${label} (line ${line}): the derivative will be None or raise. Keep the computation in torch operations.`,
        related: [{ node: at, message: 'the derivative is taken here' }],
        fixes: framework === 'pytorch' ? fixesFor(ctx, node) : [],
      });
    };
    for (const d of a.events.derivatives) {
      if (d.spec.framework === 'jax') {
        checkJaxDerivative(ctx, d, reported);
        continue;
      }
      if (!d.spec.outputs) continue;
      const out = tensorOfValue(d.output);
      const live = new Set([...out.leaves, ...out.params, ...(out.leafOf !== null ? [out.leafOf] : [])]);
      const label = d.spec.framework === 'tensorflow' ? `\`${calleeText(ctx, d.node)}\`` : `\`${d.api}\``;
      for (const origin of originsOf(d.inputs)) {
        if (live.has(origin)) continue;
        for (const c of out.cuts) if (c.origin === origin) report(c.site, d.node, label, d.spec.framework);
      }
    }
    checkJaxLossWithoutDerivative(ctx, reported);
    checkTensorFlowStopGradientSource(ctx, reported);
    checkTensorFlowTraining(ctx, reported);
    checkGraphlessInLoss(ctx, reported);
    // `loss = torch.tensor([criterion(p, t) for p in preds], requires_grad=True).sum()`: values computed
    // by calls copied into a fresh leaf that a loss is made of. The copy has no history, so the network
    // gets no gradient (requires_grad=True only silences the "does not require grad" error).
    const lossCalls = new Set(a.events.sinks.filter((s) => s.kind === 'loss-call').map((s) => s.node.id));
    for (const l of a.events.leaves) {
      if (l.kind !== 'factory' || reported.has(l.node.id)) continue;
      const c = m.call(l.target);
      if (!c || !c.qname || !REWRAPPERS.has(c.qname) || !computedData(m, c.positional[0])) continue;
      let sink: { node: PyNode; what: string } | undefined = a.events.sinks.find((s) => LOSS_SINKS.has(s.kind) && tensorOfValue(s.value).leaves.includes(l.node.id));
      // Without a loss in view made of it: the copied values are themselves losses (`[criterion(o, y) for o in outs]`), and
      // nothing wants the copy's own gradient (no optimizer holds it, no `.grad` read).
      if (!sink && lossElements(c.positional[0]!, lossCalls)) {
        const wanted =
          a.events.optimizers.some((o) => o.params.some((p) => p.leafOf === l.node.id || p.leaves.includes(l.node.id))) ||
          a.events.gradReads.some((g) => g.owner.t !== null && (g.owner.t.leafOf === l.node.id || g.owner.t.leaves.includes(l.node.id)));
        if (!wanted) sink = { node: l.target, what: 'a loss computed from the copy' };
      }
      if (!sink) continue;
      reported.add(l.node.id);
      ctx.report({
        node: l.target,
        message:
          `\`${c.qname}(...)\` copies computed values into a new leaf tensor: it has no history, so ${sink.what} (line ${ctx.lineOf(sink.node)}) ` +
          'does not reach the network that computed them, and its parameters get no gradient (`requires_grad=True` only ' +
          'hides the error). Combine the tensors with torch operations instead: `torch.stack([...]).sum()` or `sum(...)`.',
        related: [{ node: sink.node, message: 'the loss made of the copy' }],
      });
    }
    // After the re-wrapped loss above, whose message is the more specific one for the same leaf.
    checkBackwardWithoutGraph(ctx, reported);
    checkLossCutFromModel(ctx, reported);
    checkQuotedLossOfDetachedPrediction(ctx, reported);
    checkHollowLeafInTrainingIteration(ctx, reported);
    checkCaptumForwardCut(ctx, reported);
    checkStepOfCutModule(ctx, reported);
    checkConstantLossTerm(ctx, reported);
    checkRebindingCutTerm(ctx, reported);
    checkThresholdedPrediction(ctx, reported);
    checkLossFunctionCut(ctx, reported);
    checkDetachInLayerLoop(ctx, reported);
    checkStepOfFreshLeaves(ctx, reported);
    // `y.backward()` then `x.grad`: the leaves marked before it in the same function.
    // Only the leaves a cut starts from can be reported: look those up (in event order) rather than test
    // every leaf of the file at every backward, which made a notebook of n cells cost n² tests.
    const leafIndex = new Map<number, number[]>();
    a.events.leaves.forEach((l, i) => {
      const list = leafIndex.get(l.node.id);
      if (list) list.push(i);
      else leafIndex.set(l.node.id, [i]);
    });
    for (const b of a.events.backwards) {
      const t = tensorOfValue(b.target);
      if (t.cuts.length === 0) continue;
      const live = new Set([...t.leaves, ...(t.leafOf !== null ? [t.leafOf] : [])]);
      const cutLeaves = new Set<number>();
      for (const c of t.cuts) for (const i of leafIndex.get(c.origin) ?? []) cutLeaves.add(i);
      for (const i of [...cutLeaves].sort((x, y) => x - y)) {
        const l = a.events.leaves[i];
        if (l.fn !== b.fn || l.node.start > b.node.start || live.has(l.node.id)) continue;
        // The symptom is a None `.grad`: only when that `.grad` is read afterwards, and no other backward of the function
        // reached the leaf before the read (botorch's tests backpropagate through the original and through a detached
        // copy made a leaf of its own, then compare the two `.grad`s).
        const read = a.events.gradReads.find((g) => g.owner.t?.leafOf === l.node.id && g.node.start > b.node.start);
        if (!read) continue;
        const reachedElsewhere = a.events.backwards.some((o) => {
          if (o === b || o.fn !== b.fn || o.node.start > read.node.start || o.node.start < l.node.start) return false;
          // A backward whose gradient the code cleared before the read (`x.grad.zero_()`, `x.grad = None`) left nothing there.
          if (read.zeroed && !read.fills.includes(o.node.id)) return false;
          const ot = tensorOfValue(o.target);
          return ot.leaves.includes(l.node.id) || ot.leafOf === l.node.id;
        });
        if (reachedElsewhere) continue;
        for (const c of t.cuts) if (c.origin === l.node.id) report(c.site, b.node, '`.backward()`', 'pytorch');
      }
    }
    stopBeforeChoice(ctx);
  },
};

/**
 * `.backward()` on a value that lost the whole graph of the leaves it was computed from: a Python number or a
 * NumPy array (`y.item()`, `float(y)`, `y.tolist()`, `y.numpy()`; then `AttributeError`, they have no `backward`), or a
 * tensor that depends on the marked leaves only through such a cut and requires no gradient otherwise (`torch.tensor(
 * y.item())`, `y.detach() * 2`; then "element 0 of tensors does not require grad"). Either way the backward raises and
 * no gradient reaches the leaves. Cuts from a model's parameters are `checkLossCutFromModel`'s; a value that may require
 * grad for reasons not in view (an argument of an unknown caller, unseen state) is left alone.
 */
function checkBackwardWithoutGraph(ctx: RuleContext, reported: Set<number>): void {
  const a = ctx.analysis;
  const m = ctx.model;
  const leafSites = new Set(a.events.leaves.map((l) => l.node.id));
  for (const b of a.events.backwards) {
    const receiver = m.call(b.node)?.receiver;
    if (!receiver) continue;
    const v = a.valueOf(receiver) ?? b.target;
    const t = v.t ?? b.target.t;
    if (!t || t.cuts.length === 0) continue;
    // Only values the analysis knows whole: a number or array made from a tensor, or a tensor of known origin.
    const NOT_TENSOR = Kind.NUMBER | Kind.ARRAY | Kind.SEQ | Kind.BOOL;
    const number = (v.kind & ~NOT_TENSOR) === 0 && v.kind !== 0;
    if (!number && !(v.kind === Kind.TENSOR)) continue;
    if (t.opaque || t.leaves.length > 0 || t.params.length > 0 || t.mayLeaf.length > 0 || t.leafOf !== null) continue;
    if (t.dGraph.length > 0 || t.gradOf !== null || t.recOff !== null || t.inference || t.variable) continue;
    // Every origin is a marked leaf (parameter origins of a tensor are the training check's; a number has no
    // `backward` whatever it was computed from).
    const cuts = t.cuts.filter((c) => number || leafSites.has(c.origin));
    if (cuts.length === 0 || cuts.length !== t.cuts.length) continue;
    // A tensor: only leaves marked in the backward's own function, whose every step is in view (a leaf kept as state and
    // read back through library calls, `self.scaler.scale(loss)`, may keep a graph the analysis does not follow).
    const sameFn = (fn: PyNode | null): boolean => fn === b.fn || (fn !== null && b.fn !== null && b.fn.type === 'lambda' && contains(fn, b.fn));
    if (!number && !cuts.every((c) => a.events.leaves.some((l) => l.node.id === c.origin && sameFn(l.fn)))) continue;
    if (cuts.some((c) => reported.has(c.site))) continue;
    // The cut nearest the backward (the conversion that made the number): the one ending last, the outer of nested calls.
    const nodes = cuts.map((c) => ctx.tree.nodes[c.site]).filter((n): n is PyNode => !!n);
    nodes.sort((x, y) => y.end - x.end || x.start - y.start);
    const node = nodes[0];
    if (!node) continue;
    for (const c of cuts) reported.add(c.site);
    const what = describeCut(ctx, node);
    const recv = ctx.text(receiver);
    ctx.report({
      node,
      message: number
        ? `\`${recv}\` is ${isKind(v, Kind.ARRAY) ? 'a NumPy array' : isKind(v, Kind.SEQ) ? 'a Python list' : 'a Python number'}, taken out ` +
          `of autograd by ${what} here: it has no graph and no \`backward\`, so \`${recv}.backward()\` at line ${ctx.lineOf(b.node)} raises ` +
          'AttributeError and no gradient reaches the tensors it was computed from. Call `.backward()` on the tensor itself, and ' +
          'convert it (for logging) after.'
        : `${what} takes the value out of the graph of the tensors that require grad, and \`${recv}\` depends on them through ` +
          `nothing else: \`.backward()\` at line ${ctx.lineOf(b.node)} raises "element 0 of tensors does not require grad and does ` +
          'not have a grad_fn". Compute it with torch operations from the tensor itself.',
      related: [{ node: b.node, message: 'the backward' }],
    });
  }
}

/** Names of evaluation code (a loss computed there is a measurement, not trained). */
const EVALUATION_CODE = /(?:^|_)(?:val|valid|validate|validation|eval|evaluate|test|testing|metric|metrics|predict|inference|infer|log|report)(?:_|$|\d)/i;

/**
 * A training step quoted up to its loss (no backward, derivative or training hook anywhere in the file, and no sign of
 * evaluation: no `.eval()`, `no_grad`, `inference_mode`): a loss function's value whose prediction (first argument) is a
 * model's output taken out of the graph (`model(x).detach()`, `.data`, `torch.tensor(out.tolist())`) and which reaches
 * no parameter or leaf through its other arguments (targets). Its backward raises "does not require grad" and the model
 * gets no gradient. With a backward in view, `checkLossCutFromModel` decides.
 */
function checkQuotedLossOfDetachedPrediction(ctx: RuleContext, reported: Set<number>): void {
  const a = ctx.analysis;
  const m = ctx.model;
  if (a.events.backwards.length > 0 || a.events.derivatives.length > 0) return;
  if (a.events.sinks.some((s) => s.kind === 'training-hook' || s.kind === 'optimizer-closure' || s.kind === 'backward')) return;
  for (const c of m.calls) {
    if (c.method === 'eval' || c.method === 'predict') return;
    if (c.qname && /^torch\.(?:autograd\.)?(?:no_grad|inference_mode|set_grad_enabled)$/.test(c.qname)) return;
  }
  const leafSites = new Set(a.events.leaves.map((l) => l.node.id));
  for (const s of a.events.sinks) {
    if (s.kind !== 'loss-call' || s.node.type !== 'call') continue;
    const call = m.call(s.node);
    const pred = call?.positional[0];
    if (!call || !pred || call.positional.length < 2) continue;
    const pv = a.valueOf(pred);
    const pt = pv?.t;
    if (!pv || !pt || pt.recOff !== null || pt.params.length > 0 || pt.leaves.length > 0 || pt.mayLeaf.length > 0 || pt.leafOf !== null) continue;
    const cuts = pt.cuts.filter((k) => !leafSites.has(k.origin));
    if (cuts.length === 0 || cuts.length !== pt.cuts.length) continue;
    // The loss reaches nothing trainable through its other arguments (targets, weights).
    const lt = tensorOfValue(s.value);
    if (lt.params.length > 0 || lt.leaves.length > 0 || lt.mayLeaf.length > 0 || lt.leafOf !== null || lt.recOff !== null) continue;
    const rest = [...call.positional.slice(1), ...call.keywords.values()];
    if (rest.some((r) => { const t = a.valueOf(r)?.t; return !!t && (t.params.length > 0 || t.leaves.length > 0 || t.cuts.length > 0); })) continue;
    // Not a measurement: neither the value's name nor the enclosing function's name says evaluation.
    const stmt = m.statementOf(s.node);
    const left = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : null;
    const target = left?.type === 'assignment' ? field(left, 'left') : null;
    if (!target || target.type !== 'identifier' || EVALUATION_CODE.test(ctx.text(target))) continue;
    const fn = m.enclosingFunction(s.node);
    if (fn && EVALUATION_CODE.test(fn.name)) continue;
    // Quoted up to the loss: nothing reads it afterwards but a `return` handing it to the trainer. A loss summed into a
    // running total, printed or converted (`rloss += loss`, `loss.item()`) is being measured.
    const binding = m.bindingsOf(ctx.text(target), m.scopeAt(target)).find((b) => b.target === target);
    if (!binding || m.usesOf(binding).some((u) => unparen(u).parent?.type !== 'return_statement' && u.parent?.type !== 'return_statement')) continue;
    const k = cuts.find((x) => !reported.has(x.site));
    const node = k ? ctx.tree.nodes[k.site] : undefined;
    if (!k || !node) continue;
    for (const x of cuts) reported.add(x.site);
    ctx.report({
      node,
      message:
        `${describeCut(ctx, node)} takes the model's output out of the graph before the loss: \`${ctx.text(target)}\` (line ` +
        `${ctx.lineOf(s.node)}) depends on the network's parameters only through it, so backpropagating it raises "element 0 ` +
        'of tensors does not require grad and does not have a grad_fn" and the parameters get no gradient. Compute the loss from ' +
        'the model\'s output itself; detach only a copy kept for logging or plotting.',
      related: [{ node: s.node, message: 'the loss made of the detached prediction' }],
    });
  }
}

/**
 * A JAX derivative (`jax.grad(f)(x)`, `value_and_grad`, `jacrev`...) whose function's output depends on the differentiated
 * argument only through `jax.lax.stop_gradient` or a piecewise-constant operation (`jnp.round`, `floor`, `sign`,
 * `argmax`, `int(x)`): JAX raises nothing and returns zeros. `float(x)`, `x.item()`, `x.tolist()` of the traced value
 * raise instead (jax-ml/jax#2602 made `float` fail on tracers rather than act as a silent stop_gradient; #2783). NumPy
 * conversions are AGL052's.
 */
function checkJaxDerivative(ctx: RuleContext, d: DerivativeEvent, reported: Set<number>): void {
  const out = tensorOfValue(d.output);
  if (out.cuts.length === 0 || !(isKind(d.output, Kind.TENSOR) || isKind(d.output, Kind.NUMBER) || isKind(d.output, Kind.ARRAY))) return;
  const live = new Set([...out.leaves, ...out.params, ...out.mayLeaf, ...(out.leafOf !== null ? [out.leafOf] : [])]);
  // The transform's application makes the differentiated argument a leaf of its own (`leafOf` the call).
  const origins = [d.node.id, ...originsOf(d.inputs)];
  if (origins.some((o) => live.has(o))) return;
  const label = `the output of \`${calleeText(ctx, d.node)}\` (line ${ctx.lineOf(d.node)})`;
  for (const c of [...out.cuts].sort((x, y) => x.site - y.site)) {
    if (!origins.includes(c.origin) || reported.has(c.site)) continue;
    const node = ctx.tree.nodes[c.site];
    const message = node ? jaxCutMessage(ctx, node, label, 'the differentiated argument', true) : null;
    if (!node || !message) continue;
    reported.add(c.site);
    ctx.report({ node, message, related: [{ node: d.node, message: 'the derivative is taken here' }] });
    return;
  }
}

/**
 * Why a JAX cut at `node` zeroes (or breaks) the derivative of `label` with respect to `what`, or null when the cut is
 * not one of these (`conversions` allows `float(x)`/`.item()`, which raise rather than cut).
 */
function jaxCutMessage(ctx: RuleContext, node: PyNode, label: string, what: string, conversions: boolean): string | null {
  const m = ctx.model;
  if (node.type === 'comparison_operator') {
    return (
      `\`${ctx.text(node)}\` is a boolean, with no derivative, and ${label} depends on ${what} only through it: the gradient is ` +
      'all zeros (no error). Use a smooth surrogate (`jax.nn.sigmoid(k * (a - b))`) or keep the comparison inside `jnp.where` with ' +
      'the differentiable value in its branches.'
    );
  }
  if (node.type !== 'call') return null;
  const call = m.call(node);
  if (!call) return null;
  const q = call.qname ?? '';
  const fn = field(node, 'function');
  const name = `\`${fn ? ctx.text(fn) : q}\``;
  const dtype = call.method === 'astype' ? (call.positional[0] ?? call.keywords.get('dtype')) : undefined;
  if (JAX_RANDOM_DISTRIBUTION_ARGS[q]) {
    return (
      `${name} draws ${q === 'jax.random.bernoulli' ? 'booleans' : 'integers'}, which do not depend differentiably on its ` +
      `${JAX_RANDOM_DISTRIBUTION_ARGS[q].map(([, k]) => `\`${k}\``).join('/')}, and ${label} depends on ${what} only through the ` +
      'draws: the gradient is all zeros (no error). Add a score-function term (the log-probability of the draws times the ' +
      'reward), use a relaxation (Gumbel-softmax), or use the expectation (the probabilities themselves) in the loss.'
    );
  }
  if (dtype || JAX_INTEGER_TYPES.has(q)) {
    return (
      `${dtype ? `\`.astype(${ctx.text(dtype)})\`` : name} casts the value to integers on the way from ${what} to ${label}: integer ` +
      'values are piecewise constant, JAX differentiates the cast as zero, and the output depends on it only through the cast, ' +
      'so the gradient is all zeros (no error). Keep the differentiated path in floating point and cast only for indexing or metrics.'
    );
  }
  if (q === 'jax.lax.stop_gradient') {
    return (
      `${name} blocks the derivative on the way from ${what} to ${label}: the output depends on it only through ` +
      '`stop_gradient`, so JAX returns a gradient of zeros (no error). Apply `stop_gradient` only to what must stay constant ' +
      '(a target, a teacher\'s output), not to the parameters being differentiated.'
    );
  }
  if (JAX_CUT_FUNCTIONS.has(q)) {
    return (
      `${name} has a zero derivative wherever it is defined, and ${label} depends on ${what} only through it: the gradient is ` +
      'all zeros (no error). Compute the value from the continuous output (a sigmoid or softmax, a soft count) and keep ' +
      'rounding and argmax for metrics.'
    );
  }
  if (!conversions) return null;
  if (q === 'int') {
    return (
      `${name} rounds the traced value to a Python integer on the way from ${what} to ${label}: JAX gives \`int\` a zero ` +
      'derivative, so the gradient is all zeros (no error). Keep the value a JAX array on the differentiated path.'
    );
  }
  if (q === 'float' || call.method === 'item' || call.method === 'tolist') {
    return (
      `${name} converts the traced value to a Python number on the way from ${what} to ${label}: under the transform the ` +
      'value is a tracer, and JAX makes the conversion raise rather than silently drop the derivative (a TypeError or ' +
      'ConcretizationTypeError). Keep the value a JAX array (`jnp.sum(x)`, not `float(x.sum())`).'
    );
  }
  return null;
}

/**
 * A JAX loss function the file never differentiates in view (`def loss_fn(params, ...)`, its `jax.grad` in another file or
 * not quoted) whose loss variable reaches the model called with its `params` only through a discrete operation: a draw
 * (`jax.random.categorical(key, model.apply(params, x))`), an integer cast, `argmax`/`round`, a comparison. The role is
 * evident from the convention (a `*loss*` function whose first parameter is `params`, in a file that imports JAX): it is
 * written to be differentiated with respect to `params`, and its gradient is all zeros.
 */
function checkJaxLossWithoutDerivative(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  const a = ctx.analysis;
  if (!m.fileFact('jax-import')) return;
  for (const s of a.events.sinks) {
    if (s.kind !== 'loss-variable' || !s.fn) continue;
    const f = m.functionOf(s.fn);
    if (!f || !/loss/i.test(f.name)) continue;
    const first = f.params.filter((_p, i) => !(i === 0 && f.isMethod))[0];
    if (!first || !/^(?:params|variables|weights)$/.test(first.name)) continue;
    // Differentiated in view: the derivative's own check has the full story.
    if (a.events.derivatives.some((d) => d.spec.framework === 'jax' && d.func?.fns?.some((fn) => fn.node.id === f.node.id))) continue;
    const t = tensorOfValue(s.value);
    if (t.cuts.length === 0 || t.params.length > 0 || t.leaves.length > 0 || t.leafOf !== null || t.mayLeaf.length > 0) continue;
    for (const c of [...t.cuts].sort((x, y) => x.site - y.site)) {
      const origin = ctx.tree.nodes[c.origin];
      const node = ctx.tree.nodes[c.site];
      if (!origin || !node || reported.has(c.site) || origin.type !== 'call') continue;
      // The cut value came from a model called with the loss's `params`.
      const oc = m.call(origin);
      const given = oc ? [...oc.positional, ...oc.keywords.values()].some((arg) => unparen(arg).type === 'identifier' && ctx.text(unparen(arg)) === first.name) : false;
      if (!given) continue;
      const message = jaxCutMessage(ctx, node, `the loss \`${ctx.text(s.node).split(/\s*=/)[0]}\` of \`${f.name}\``, `\`${first.name}\` (through \`${ctx.text(origin).replace(/\s+/g, ' ').slice(0, 60)}\`)`, false);
      if (!message) continue;
      reported.add(c.site);
      ctx.report({ node, message: `${message} (\`${f.name}\` is taken to be differentiated with respect to \`${first.name}\`, JAX's convention for a loss function.)`, related: [{ node: s.node, message: 'the loss' }] });
      break;
    }
  }
}

/** A cut named for a message: what `graphCut` says of it, else the method (`.item()`) or the callee's text. */
function describeCut(ctx: RuleContext, node: PyNode): string {
  const known = graphCut(ctx.model, node)?.what;
  if (known) return known;
  // A threshold (`(torch.sigmoid(x) > 0.5)`) is named whole: its text before the first bracket is its operand's callee.
  if (node.type === 'comparison_operator') return `\`${ctx.text(node)}\``;
  const call = node.type === 'call' ? ctx.model.call(node) : undefined;
  // A cast to an integer dtype is named with its dtype (`.to(torch.long)`).
  if ((call?.method === 'to' || call?.method === 'type') && call.positional.length + call.keywords.size > 0) {
    return `\`.${call.method}(${[...call.positional, ...call.keywords.values()].map((a) => ctx.text(a)).join(', ')})\``;
  }
  return call?.method ? `\`.${call.method}()\`` : `\`${ctx.text(node).split('(')[0]}\``;
}

/** A graph-less library result (GRAPHLESS_RESULTS) described for a message, or null. */
function graphlessCut(ctx: RuleContext, node: PyNode): Cut {
  const g = ctx.analysis.events.graphless.find((e) => e.node === node);
  return g ? { what: `${g.library}'s \`${ctx.text(field(node, 'function') ?? node)}(...)\` (${g.why.replace(/^\w+ computes attributions/, 'computed')})`, input: [] } : null;
}

/**
 * A loss made of a graph-less library result (a Captum attribution): the term has no graph to the model's
 * parameters (the attribution call's site stands for them in the analysis), so it trains nothing. Reported
 * whether or not the loss has other, live terms: with them the term is silently a constant; without, the
 * backward raises.
 */
function checkGraphlessInLoss(ctx: RuleContext, reported: Set<number>): void {
  const a = ctx.analysis;
  if (a.events.graphless.length === 0) return;
  const bySite = new Map<number, GraphlessEvent>(a.events.graphless.map((g) => [g.node.id, g]));
  const sinks: { node: PyNode; value: AV; what: string }[] = [
    ...a.events.sinks.filter((s) => LOSS_SINKS.has(s.kind)),
    ...a.events.backwards.map((b) => ({ node: b.node, value: b.target, what: '`.backward()`' })),
  ];
  for (const s of sinks) {
    const t = tensorOfValue(s.value);
    for (const c of t.cuts) {
      const g = c.origin === c.site ? bySite.get(c.site) : undefined;
      if (!g || reported.has(g.node.id)) continue;
      reported.add(g.node.id);
      const live = requiresGrad(t);
      ctx.report({
        node: g.node,
        message:
          `\`${ctx.text(field(g.node, 'function') ?? g.node)}(...)\` returns attributions without a graph: ${g.why}, so ` +
          `${s.what} (line ${ctx.lineOf(s.node)}) gets no gradient from them for the model's parameters` +
          (live ? ' — this term of the loss is a constant and trains nothing.' : ', and the backward raises "element 0 of tensors does not require grad".') +
          ' Compute the attribution yourself with `torch.autograd.grad(..., create_graph=True)` (for saliency: the gradient of the ' +
          'target logit with respect to the input) so the loss can be differentiated through it.',
        related: [{ node: s.node, message: 'the loss that uses the attributions' }],
      });
    }
  }
}

type HollowLeaf = {
  cuts: readonly { origin: number; site: number }[];
  node: PyNode;
  recOff: PyNode | null;
  /** Cuts of a leaf the code marked itself (`t.detach()` of `t = torch.randn(5, requires_grad=True)`), which nothing else differentiates. */
  leafCuts: readonly { origin: number; site: number }[];
};

/**
 * Leaves made by marking a value that reaches the model only through cuts (`loss.requires_grad = True` on a cut
 * loss, `torch.tensor(preds, requires_grad=True)` of detached predictions) that no optimizer holds and whose
 * `.grad` nobody reads: they silence "does not require grad" and train nothing.
 * Likewise a value computed where autograd did not record (`with torch.no_grad(): pred = model(x)`, then
 * `loss.requires_grad = True`), when the file has an optimizer: the marking silences the error and the
 * optimizer's parameters get no gradient from this loss.
 */
function hollowLeaves(ctx: RuleContext): Map<number, HollowLeaf> {
  const a = ctx.analysis;
  const leafSites = new Set(a.events.leaves.map((l) => l.node.id));
  const graphlessSites = new Set(a.events.graphless.map((g) => g.node.id));
  const hollow = new Map<number, HollowLeaf>();
  // Leaves some backward or derivative of the file reaches live: their copies are not taken for them.
  const differentiated = new Set<number>();
  for (const b of a.events.backwards) {
    const t = tensorOfValue(b.target);
    for (const id of [...t.leaves, ...t.mayLeaf, ...(t.leafOf !== null ? [t.leafOf] : [])]) differentiated.add(id);
  }
  for (const d of a.events.derivatives) for (const id of originsOf(d.inputs)) differentiated.add(id);
  for (const l of a.events.leaves) {
    const before = tensorOfValue(l.beforeAny);
    if (requiresGrad(before) || before.dGraph.length > 0) continue;
    const offSite = before.recOff !== null && before.recOff >= 0 && !before.opaque && !markedInference(ctx, l.beforeAny) && (a.events.optimizers.length > 0 || modelRunUnder(ctx, before.recOff, l.node))
      ? ctx.tree.nodes[before.recOff] ?? null
      : null;
    if (before.recOff !== null && !offSite) continue;
    const modelCuts = offSite ? [] : before.cuts.filter((c) => !leafSites.has(c.origin) && !graphlessSites.has(c.site));
    // A copy of a leaf the code marked (`t_copy = t.detach()`, then `t_copy.requires_grad = True`): the backward reaches the
    // copy and not `t`. Only a leaf whose gradient nothing else in the file computes (no backward or derivative reaches it).
    const leafCuts = offSite || modelCuts.length > 0 ? [] : before.cuts.filter((c) => c.origin !== l.node.id && leafSites.has(c.origin) && !graphlessSites.has(c.site) && !differentiated.has(c.origin));
    if (!offSite && modelCuts.length === 0 && leafCuts.length === 0) continue;
    if (a.events.optimizers.some((o) => o.params.some((p) => p.leafOf === l.node.id || p.leaves.includes(l.node.id) || p.mayLeaf.includes(l.node.id)))) continue;
    if (a.events.gradReads.some((g) => g.owner.t !== null && (g.owner.t.leafOf === l.node.id || g.owner.t.mayLeaf.includes(l.node.id)))) continue;
    // A copy whose gradient is asked for otherwise (`torch.autograd.grad(loss, copy)`, a hook, `retain_grad()`) is wanted.
    if (leafCuts.length > 0 && (a.events.derivatives.some((d) => originsOf(d.inputs).includes(l.node.id)) || a.events.needsGraph.some((n) => n.value.t?.leafOf === l.node.id))) continue;
    hollow.set(l.node.id, { cuts: modelCuts, node: l.node, recOff: offSite, leafCuts });
  }
  return hollow;
}

/**
 * An inference tensor marked where it was made (inside the `inference_mode` region): marking raises, which is AGL055's.
 * A copy made outside the region (`out.clone().requires_grad_()`) is a normal tensor: a hollow leaf like any other.
 */
function markedInference(ctx: RuleContext, v: AV): boolean {
  if (!v.t?.inference) return false;
  const site = v.site >= 0 ? ctx.tree.nodes[v.site] : undefined;
  if (!site) return true;
  const mode = gradModeAt(ctx.model, site);
  return mode.state === 'inference';
}

/**
 * A model (a module with parameters) ran inside the region that switched recording off at `offSite` (its `with` block,
 * or the function its decorator switches off), before `before`: the value marked later was computed by that network,
 * whose parameters the marked copy does not reach.
 */
function modelRunUnder(ctx: RuleContext, offSite: number, before: PyNode): boolean {
  const off = ctx.tree.nodes[offSite];
  if (!off) return false;
  let region: PyNode | null = null;
  for (let p = off.parent; p; p = p.parent) {
    if (p.type === 'with_statement' || p.type === 'function_definition' || p.type === 'decorated_definition') {
      region = p;
      break;
    }
  }
  if (!region) return false;
  return ctx.analysis.events.modelCalls.some((c) => c.recording.mode !== 'on' && c.node.start >= region.start && c.node.end <= region.end && c.node.end <= before.start);
}

/** Methods and calls that take a tensor out of autograd (no gradient flows back through them). */
const FORWARD_CUT_METHODS = new Set(['detach', 'numpy', 'item', 'tolist', 'detach_']);
const INTEGER_CAST_METHODS = new Set(['long', 'int', 'short', 'byte', 'bool']);
const REWRAP_CALLS = new Set(['torch.tensor', 'torch.Tensor', 'torch.FloatTensor', 'torch.LongTensor', 'torch.from_numpy', 'torch.as_tensor', 'numpy.array', 'numpy.asarray']);

function classOf(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return null;
}

/**
 * A Captum attribution in view (`ig = IntegratedGradients(forward_fn)`, `ig.attribute(inputs, ...)`) whose forward
 * function, a function of the file or the `forward` of a module class the file defines, reaches its return value from
 * an attributed argument only through a cut: `.detach()`, `.numpy()`, `.item()`, a `torch.tensor(...)` re-wrap or (for
 * attributions with respect to the inputs, not a layer's) an integer cast. Captum differentiates the forward function's
 * output with respect to the inputs (or the layer's output), so the attribution raises or is zero and None.
 * The attributed arguments: as many leading parameters (after `self`) as the `inputs` tuple has items, else the first.
 */
function checkCaptumForwardCut(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  for (const c of m.calls) {
    if (!c.qname || !c.qname.startsWith('captum.attr.') || !/^[A-Z]/.test(c.qname.slice('captum.attr.'.length))) continue;
    const f0 = c.positional[0] ?? c.keywords.get('forward_func') ?? c.keywords.get('model');
    if (!f0) continue;
    const layerMethod = c.qname.slice('captum.attr.'.length).startsWith('Layer') || c.qname.slice('captum.attr.'.length).startsWith('Neuron');
    // The attribution's object and its `attribute` call.
    const parent = c.node.parent;
    const bound = parent && parent.type === 'assignment' && field(parent, 'right') === c.node ? field(parent, 'left') : null;
    if (!bound || bound.type !== 'identifier') continue;
    const name = ctx.text(bound);
    // Its `attribute` call on that very binding (a name of another scope is another object: a re-lint by groups would not see it).
    const attr = m.calls.find((k) => {
      const r = k.receiver ? unparen(k.receiver) : null;
      return k.method === 'attribute' && r?.type === 'identifier' && ctx.text(r) === name && k.node.start > c.node.start && m.reachingBindings(r).some((b) => b.target === bound);
    });
    if (!attr) continue;
    // The forward function: a function of the file, or the forward of a module class of the file given as an instance.
    let fn: FunctionInfo | null = null;
    const fu = unparen(f0);
    if (fu.type === 'identifier' && m.isUse(fu)) {
      const bs = m.reachingBindings(fu);
      if (bs.length === 1 && bs[0].kind === 'def') fn = m.functions.find((f) => f.node === bs[0].stmt || f.node.parent === bs[0].stmt || field(f.node, 'name') === bs[0].target) ?? null;
      if (!fn && bs.length === 1 && bs[0].kind === 'assign' && bs[0].value && bs[0].path.length === 0) {
        const v = unparen(bs[0].value);
        const cls = v.type === 'call' ? m.localClassOf(field(v, 'function')) : null;
        if (cls) fn = m.functions.find((f) => f.isMethod && f.name === 'forward' && classOf(f.node) === cls) ?? null;
      }
    }
    if (!fn || fn.returns.length === 0) continue;
    const params = fn.params.length > 0 && fn.params[0].name === 'self' ? fn.params.slice(1) : fn.params;
    const inputs0 = attr.keywords.get('inputs') ?? attr.positional[0];
    if (!inputs0) continue;
    const iu = unparen(inputs0);
    const count = iu.type === 'tuple' ? namedChildren(iu).length : 1;
    const attributed = params.slice(0, count);
    if (attributed.length === 0) continue;
    const isCut = (n: PyNode): boolean => {
      if (n.type === 'attribute' && ctx.text(field(n, 'attribute') ?? n) === 'data') return true;
      if (n.type !== 'call') return false;
      const k = m.call(n);
      if (!k) return false;
      if (k.method && k.receiver && (FORWARD_CUT_METHODS.has(k.method) || (!layerMethod && INTEGER_CAST_METHODS.has(k.method) && k.positional.length === 0))) return true;
      return !!k.qname && REWRAP_CALLS.has(k.qname);
    };
    for (const p of attributed) {
      const live = m.flow({ bindings: [p] }, { barrier: isCut });
      if (fn.returns.some((r) => live.reaches(r))) continue;
      const any = m.flow({ bindings: [p] });
      if (!fn.returns.every((r) => any.reaches(r))) continue;
      // The first cut the argument's value reaches (the innermost of a chain: `.detach()` of `x.detach().cpu().numpy()`).
      let cut: PyNode | null = null;
      walk(fn.node, (n) => {
        if (n !== fn!.node && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) return false;
        if (isCut(n)) {
          const inner = n.type === 'attribute' ? field(n, 'object') : (m.call(n)?.receiver ?? m.call(n)?.positional[0] ?? null);
          if (inner && any.reaches(inner) && (!cut || n.end < (cut as PyNode).end)) cut = n;
        }
        return undefined;
      });
      if (!cut || reported.has((cut as PyNode).id)) continue;
      const cutNode: PyNode = cut;
      reported.add(cutNode.id);
      ctx.report({
        node: cutNode,
        message:
          `${describeCut(ctx, cutNode)} cuts \`${p.name}\` out of what \`${fn.name}\` returns, and \`${ctx.text(field(c.node, 'function') ?? c.node)}\` ` +
          `differentiates that return value with respect to ${layerMethod ? 'the layer\'s output' : `\`${p.name}\``} when \`${ctx.text(field(attr.node, 'function') ?? attr.node)}\` ` +
          `runs (line ${ctx.lineOf(attr.node)}): the gradient is None (Captum raises "element 0 of tensors does not require grad") or ` +
          'the attributions are zero. Return the model\'s output as a tensor with its graph (softmax with torch, no `.detach()`/NumPy); ' +
          'to attribute integer inputs, attribute the embedding layer (`LayerIntegratedGradients`).',
        related: [{ node: attr.node, message: 'the attribution that differentiates it' }],
      });
    }
  }
}

/**
 * A training iteration quoted up to its forward: inside a loop (or else a function) that clears gradients
 * (`optimizer.zero_grad()`, `model.zero_grad()`) before it, the model's output is copied out of the graph (`.detach().numpy()`, a list, `torch.Tensor(...)`) and
 * the copy is marked `requires_grad` (a hollow leaf: no optimizer holds it, nobody reads its `.grad`). Marking a
 * copy makes sense only to backpropagate through it, and the backward of anything made of it reaches this new
 * leaf and not the network. Only when the file has no backward and no derivative at all (with one in view, the check
 * above decides by what the backward's loss is made of).
 */
function checkHollowLeafInTrainingIteration(ctx: RuleContext, reported: Set<number>): void {
  const a = ctx.analysis;
  if (a.events.backwards.length > 0 || a.events.derivatives.length > 0 || a.events.sinks.some((s) => s.kind === 'training-hook')) return;
  if (a.events.leaves.length === 0) return;
  const m = ctx.model;
  for (const leaf of hollowLeaves(ctx).values()) {
    if (leaf.recOff || leaf.cuts.length === 0 || reported.has(leaf.node.id)) continue;
    // The iteration: the innermost loop around the leaf, else the function it is in (a `train_step`).
    const scope = m.loopOf(leaf.node) ?? m.enclosingFunction(leaf.node)?.node ?? null;
    if (!scope) continue;
    let clear: PyNode | null = null;
    walk(scope, (n) => {
      if (clear) return false;
      if (n !== scope && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) return false;
      if (n.type === 'call' && n.start < leaf.node.start) {
        const fn = field(n, 'function');
        const attr = fn && fn.type === 'attribute' ? field(fn, 'attribute') : null;
        if (attr && ctx.text(attr) === 'zero_grad') clear = n;
      }
      return undefined;
    });
    if (!clear) continue;
    const cutNode = ctx.tree.nodes[leaf.cuts[0].site];
    if (!cutNode) continue;
    reported.add(leaf.node.id);
    ctx.report({
      node: leaf.node,
      message:
        `\`requires_grad\` here makes a new leaf of a value that reaches the model only through ${describeCut(ctx, cutNode)} ` +
        `(line ${ctx.lineOf(cutNode)}), in a training iteration (gradients cleared at line ${ctx.lineOf(clear)}): a loss made of it ` +
        'no longer raises "element 0 of tensors does not require grad", but its backward computes gradients for this leaf only, ' +
        'and the network\'s parameters get none: nothing trains. Remove the cut and compute the loss from the model\'s output ' +
        'with torch operations.',
      related: [{ node: cutNode, message: 'the graph to the model is cut here' }, { node: clear, message: 'the training iteration clears gradients here' }],
    });
  }
}

/**
 * PyTorch training: `loss.backward()` on a loss that depends on the model only through operations that leave
 * autograd (`.argmax()`, `.item()`, `.numpy()`, `.detach()`, `torch.tensor(t)`, NumPy) and on nothing that
 * requires grad otherwise. Backward raises "element 0 of tensors does not require grad and does not have a
 * grad_fn" (and making the loss require grad only hides it: nothing trains). Only when the loss holds no
 * derivative term, was computed with recording on, and is a tensor the analysis computed (not an unknown call's
 * result). Values of unknown origin (a loop over a data loader, a parameter) are taken as data: a target; instance state
 * the file does not show is not (`readsUnseenState`).
 */
function checkLossCutFromModel(ctx: RuleContext, reported: Set<number>): void {
  const a = ctx.analysis;
  if (a.events.backwards.length === 0 && !a.events.sinks.some((s) => s.kind === 'training-hook')) return;
  const leafSites = new Set(a.events.leaves.map((l) => l.node.id));
  const graphlessSites = new Set(a.events.graphless.map((g) => g.node.id));
  const hollow = hollowLeaves(ctx);
  // The backwards, and the losses Lightning's training hooks return (Lightning calls backward on them).
  const trained: { node: PyNode; target: AV; hook: string | null }[] = [
    ...a.events.backwards.map((b) => ({ node: b.node, target: b.target, hook: null })),
    ...a.events.sinks.filter((s) => s.kind === 'training-hook').map((s) => ({ node: s.node, target: s.value, hook: ctx.text(s.node) })),
  ];
  for (const b of trained) {
    const t = tensorOfValue(b.target);
    if (!isKind(b.target, Kind.TENSOR) || isKind(b.target, Kind.UNKNOWN)) continue;
    if (t.recOff !== null || t.dGraph.length > 0 || t.gradOf !== null || t.params.length > 0) continue;
    const leaves = [...t.leaves, ...t.mayLeaf, ...(t.leafOf !== null ? [t.leafOf] : [])];
    // A loss from inference tensors is AGL055's, unless it reaches only leaves marked on copies made outside the region
    // (`out.clone().requires_grad_()`), which `hollowLeaves` tells apart.
    if (t.inference && leaves.length === 0) continue;
    if (leaves.length > 0) {
      if (b.hook !== null) continue;
      if (!leaves.every((id) => hollow.has(id))) continue;
      const leaf = hollow.get(leaves[0])!;
      if (reported.has(leaf.node.id)) continue;
      reported.add(leaf.node.id);
      if (leaf.recOff) {
        ctx.report({
          node: leaf.node,
          message:
            `\`requires_grad\` here makes a new leaf of a value computed where autograd did not record (under ` +
            `\`${ctx.text(leaf.recOff).replace(/\s+/g, ' ').slice(0, 50)}\`, line ${ctx.lineOf(leaf.recOff)}): \`.backward()\` at line ` +
            `${ctx.lineOf(b.node)} no longer raises "element 0 of tensors does not require grad", but it computes gradients for ` +
            'this leaf only, and the network\'s parameters get none: nothing trains. Compute the loss with recording on.',
          related: [{ node: leaf.recOff, message: 'recording is switched off here' }, { node: b.node, message: 'the backward that trains nothing' }],
        });
        continue;
      }
      if (leaf.cuts.length === 0 && leaf.leafCuts.length > 0) {
        const k = leaf.leafCuts[0];
        const cutAt = ctx.tree.nodes[k.site];
        const orig = ctx.analysis.events.leaves.find((e) => e.node.id === k.origin);
        if (!cutAt || !orig) continue;
        // The original leaf made in the backward's function and its `.grad` read after it: the backward's check at the end of
        // `check` reports the cut itself, where the gradient was lost.
        if (orig.fn === ctx.analysis.events.backwards.find((x) => x.node === b.node)?.fn && ctx.analysis.events.gradReads.some((g) => g.owner.t?.leafOf === k.origin && g.node.start > b.node.start)) continue;
        // One finding for the mistake: the cut itself is not reported again by the backward's `.grad` check below.
        for (const c of leaf.leafCuts) reported.add(c.site);
        // The leaf's name: the marked expression, or the name a factory's result is bound to.
        const asg = orig.target.parent?.type === 'assignment' && field(orig.target.parent, 'right') === orig.target ? field(orig.target.parent, 'left') : null;
        const named = orig.target.type === 'identifier' || orig.target.type === 'attribute' ? orig.target : asg && (asg.type === 'identifier' || asg.type === 'attribute') ? asg : null;
        const origName = named ? `\`${ctx.text(named)}\`` : 'the tensor marked there';
        ctx.report({
          node: leaf.node,
          message:
            `\`requires_grad\` here makes a new leaf of a copy that ${describeCut(ctx, cutAt)} (line ${ctx.lineOf(cutAt)}) took out of ` +
            `the graph of the leaf made at line ${ctx.lineOf(orig.node)}: \`.backward()\` at line ${ctx.lineOf(b.node)} no longer raises ` +
            '"element 0 of tensors does not require grad", but it computes the gradient of this copy, which nothing reads, and ' +
            `${origName === 'the tensor marked there' ? 'the original leaf' : origName} gets none (its \`.grad\` stays None). Compute from the original tensor ` +
            '(no `.detach()`/`.data`), or read the copy\'s gradient if the copy is the tensor meant.',
          related: [{ node: cutAt, message: 'the copy is cut from the leaf here' }, { node: orig.node, message: 'the leaf the gradient was meant for' }, { node: b.node, message: 'the backward' }],
        });
        continue;
      }
      const cutNode = ctx.tree.nodes[leaf.cuts[0].site];
      const cutWhat = cutNode ? describeCut(ctx, cutNode) : 'a cut';
      ctx.report({
        node: leaf.node,
        message:
          `\`requires_grad\` here makes a new leaf of a value that reaches the model only through ${cutWhat}` +
          (cutNode ? ` (line ${ctx.lineOf(cutNode)})` : '') +
          `: \`.backward()\` at line ${ctx.lineOf(b.node)} no longer raises "element 0 of tensors does not require grad", but it ` +
          'computes gradients for this leaf only, and the network\'s parameters get none: nothing trains. Remove the cut and ' +
          'compute the loss from the model\'s output with torch operations.',
        related: [...(cutNode ? [{ node: cutNode, message: 'the graph to the model is cut here' }] : []), { node: b.node, message: 'the backward that trains nothing' }],
      });
      continue;
    }
    const cuts = t.cuts.filter((c) => !leafSites.has(c.origin) && !graphlessSites.has(c.site)).sort((x, y) => x.site - y.site);
    if (cuts.length === 0) continue;
    if (readsUnseenState(ctx, b.node, cuts.map((k) => k.site))) continue;
    const c = cuts.find((k) => !reported.has(k.site));
    if (!c) continue;
    const node = ctx.tree.nodes[c.site];
    if (!node) continue;
    for (const k of cuts) reported.add(k.site);
    const call = node.type === 'call' ? ctx.model.call(node) : undefined;
    const target = b.hook === null ? ctx.model.call(b.node)?.receiver : undefined;
    const lossName = b.hook !== null ? `the loss returned by \`${b.hook}\`` : target ? `\`${ctx.text(target)}\`` : 'the loss';
    const where = b.hook !== null ? `which Lightning backpropagates (line ${ctx.lineOf(b.node)})` : `backpropagated at line ${ctx.lineOf(b.node)}`;
    // `torch.round`/`sign`/`floor` keep a graph whose derivative is zero: no error, but no gradient either.
    const zeroDerivative = (!!call?.qname && TORCH_PIECEWISE_CONSTANT.has(call.qname)) || (!!call?.method && PIECEWISE_CONSTANT_METHODS.has(call.method));
    ctx.report({
      node,
      message:
        `${describeCut(ctx, node)} cuts the model out of the loss: ${lossName}, ${where}, depends on the ` +
        'network\'s parameters only through it' +
        (zeroDerivative
          ? ', whose derivative is zero wherever it is defined: the parameters get no gradient from this loss (and after a cast to ' +
            'an integer type `.backward()` raises "element 0 of tensors does not require grad").'
          : ' and requires no gradient, so `.backward()` raises "element 0 of tensors does not require grad and does not have a ' +
            'grad_fn" (setting `requires_grad` on the loss only hides it: nothing trains).') +
        (isDraw(ctx, node)
          ? ' A sample carries no gradient to what it is drawn from: draw with the reparameterization trick (`mu + std * ' +
            'torch.randn_like(std)`, `dist.rsample()`), or train the sampler with a score-function term (`-dist.log_prob(sample) * reward`).'
          : ' Compute the loss from the model\'s continuous output with torch operations; keep argmax, rounding, `.item()` and NumPy for metrics.'),
      related: [{ node: b.node, message: b.hook !== null ? 'the training hook whose returned loss Lightning backpropagates' : 'the backward of the loss' }],
    });
  }
}

/**
 * Whether the loss of backward `at` reads, outside its cuts, instance state the file does not show (`self.log_alpha`
 * of a class whose `__init__` is elided or inherited): a learnable temperature or a parameter the loss may train
 * through (SAC's `-(self.log_alpha * (log_prob + target_entropy).detach()).mean()`). A value of unknown origin is data
 * when it enters as a target, but a state attribute used as a value of the loss may require grad, so the loss is not
 * shown to depend on nothing that requires grad. Callees (`self.criterion(...)`) are not values.
 */
function readsUnseenState(ctx: RuleContext, at: PyNode, cutSites: readonly number[]): boolean {
  const loss = ctx.model.call(at)?.receiver;
  if (!loss) return false;
  const stops = new Set(cutSites);
  let found = false;
  ctx.model.traceBack(loss, (n) => {
    if (found || stops.has(n.id)) return false;
    if (n.type !== 'attribute') return;
    const obj = field(n, 'object');
    if (obj?.type !== 'identifier' || ctx.text(obj) !== 'self') return;
    const call = n.parent?.type === 'call' && field(n.parent, 'function') === n;
    if (call) return false;
    const v = ctx.analysis.valueOf(n);
    if (v && isKind(v, Kind.UNKNOWN) && !isKind(v, Kind.TENSOR)) found = true;
    return false;
  });
  return found;
}

/**
 * `loss.backward(); opt.step()` where `opt` holds the parameters of a module (an encoder, a generator) that the loss
 * reaches only through a cut: a `.detach()` between two networks, a NumPy round trip, a random draw that is not
 * reparameterized (`torch.normal(mu, std)`, `dist.sample()`). The loss is live through the other modules, so
 * nothing raises, but the step gives this module no gradient: it never trains. The backward is the last one before
 * the step in the same function and loop.
 */
function checkStepOfCutModule(ctx: RuleContext, reported: Set<number>): void {
  const a = ctx.analysis;
  if (a.events.steps.length === 0 || a.events.backwards.length === 0) return;
  const leafSites = new Set(a.events.leaves.map((l) => l.node.id));
  const graphlessSites = new Set(a.events.graphless.map((g) => g.node.id));
  for (const s of a.events.steps) {
    let b: (typeof a.events.backwards)[number] | null = null;
    for (const x of a.events.backwards) {
      if (x.fn !== s.fn || x.loop !== s.loop || x.node.start >= s.node.start) continue;
      if (!b || x.node.start > b.node.start) b = x;
    }
    if (!b || !isKind(b.target, Kind.TENSOR) || isKind(b.target, Kind.UNKNOWN)) continue;
    const t = tensorOfValue(b.target);
    // Only a live loss: one that reaches no model raises, and checkLossCutFromModel reports it.
    if (t.params.length === 0 || t.opaque || t.recOff !== null || t.inference || t.dGraph.length > 0) continue;
    // The optimizer holds none of the loss's live parameters and no step trains them: the wrong optimizer (AGL076).
    if (wrongOptimizerStep(a, s.params, b, t)) continue;
    for (const origin of s.params) {
      if (t.params.includes(origin) || leafSites.has(origin)) continue;
      // A cut counts only when nothing it cut reaches the loss live: a layer of the same network live beside it means
      // the analysis joined this call with another one (a context merged across the steps of a GAN), not a cut network.
      const cut = t.cuts
        .filter((c) => c.origin === origin && !graphlessSites.has(c.site) && !t.cuts.some((k) => k.site === c.site && t.params.includes(k.origin)))
        .sort((x, y) => x.site - y.site)[0];
      if (!cut || reported.has(cut.site)) continue;
      const node = ctx.tree.nodes[cut.site];
      const owner = ctx.tree.nodes[origin];
      if (!node || !owner) continue;
      reported.add(cut.site);
      const target = ctx.model.call(b.node)?.receiver;
      const lossName = target ? `\`${ctx.text(target)}\`` : 'the loss';
      const module = moduleName(ctx.model, owner);
      const opt = ctx.model.call(s.node)?.receiver;
      const draw = isDraw(ctx, node);
      ctx.report({
        node,
        message:
          `${describeCut(ctx, node)} cuts ${module} out of ${lossName}: the loss reaches ${module} only through it, so ` +
          `\`.backward()\` (line ${ctx.lineOf(b.node)}) gives its parameters no gradient and \`${opt ? ctx.text(opt) : 'the optimizer'}.step()\` ` +
          `(line ${ctx.lineOf(s.node)}) never moves them: ${module} does not train. Nothing raises, since the loss is live through ` +
          'the other parameters. ' +
          (draw
            ? 'Draw with the reparameterization trick (`mu + std * torch.randn_like(std)`, `dist.rsample()`), or train the sampler with a ' +
              'score-function term (`-dist.log_prob(sample) * reward`).'
            : 'Remove the cut where the loss should train this module (keep `.detach()` for the other network\'s update, as a GAN\'s ' +
              'discriminator step does), or leave its parameters out of this optimizer.'),
        related: [
          { node: owner, message: `${module} is made here` },
          { node: b.node, message: 'the backward' },
          { node: s.node, message: 'the step that moves its parameters' },
        ],
      });
    }
  }
}

/**
 * `total = ce + dependence_loss(out, y)`, `total.backward()`: a term of a live loss that depends on the model only
 * through an operation without a gradient (argmax, rounding, a comparison, an integer cast). Nothing raises, since the
 * loss trains through its other terms, but that term is a constant to the parameters: whatever it is meant to teach
 * (a hierarchy, a rank, an IoU) is never learnt. The terms are read from the loss's text — `a + b`, `a - b`, a weight
 * times a term, `loss += term`, names bound to such sums in the same function — and each term's value from the analysis.
 */
function checkConstantLossTerm(ctx: RuleContext, reported: Set<number>): void {
  const a = ctx.analysis;
  const m = ctx.model;
  const leafSites = new Set(a.events.leaves.map((l) => l.node.id));
  const graphlessSites = new Set(a.events.graphless.map((g) => g.node.id));
  const lossCalls = new Set(a.events.sinks.filter((s) => s.kind === 'loss-call').map((s) => s.node.id));
  const modelCallSites = new Set(a.events.modelCalls.map((c) => c.node.id));
  for (const b of a.events.backwards) {
    if (!isKind(b.target, Kind.TENSOR) || isKind(b.target, Kind.UNKNOWN)) continue;
    const t = tensorOfValue(b.target);
    // Values of unknown origin (a batch from a loader) are taken as data, as in checkLossCutFromModel: `opaque` is not asked.
    if (t.params.length === 0 || t.recOff !== null || t.inference) continue;
    const receiver = m.call(b.node)?.receiver;
    if (!receiver) continue;
    for (const term of lossTerms(m, receiver, 0, new Set())) {
      const v = a.valueOf(term);
      if (!v || !v.t || !isKind(v, Kind.TENSOR) || isKind(v, Kind.UNKNOWN)) continue;
      const tt = tensorOfValue(v);
      if (requiresGrad(tt) || tt.mayLeaf.length > 0 || tt.dGraph.length > 0 || tt.dNoGraph.length > 0 || tt.recOff !== null) continue;
      const zero = (c: { origin: number; site: number }): boolean => t.params.includes(c.origin) && zeroGradientOp(m, ctx.tree.nodes[c.site]);
      // A `.detach()`, `.data` or NumPy round trip inside a model's own methods (a decoder's `sample` returning
      // `.data`): the training code that adds the term does not show it, so it is no deliberate detached term.
      const hidden = (c: { origin: number; site: number }): boolean =>
        !leafSites.has(c.origin) && !graphlessSites.has(c.site) && cutInModelMethod(m, ctx.tree.nodes[c.site], b.fn);
      // A loss function's value on a detached model output (`l_bce(netd(fake).detach(), fake_label)` in a generator's
      // loss): a criterion is applied to train what it compares, and the model behind the cut is one this loss trains.
      const criterion = (c: { origin: number; site: number }): boolean =>
        t.params.includes(c.origin) && !leafSites.has(c.origin) && lossCallTerm(m, term, lossCalls) && detachedModelOutput(m, ctx.tree.nodes[c.site], modelCallSites);
      const cut = tt.cuts
        .filter((c) => !reported.has(c.site) && (zero(c) || hidden(c) || criterion(c)))
        .sort((x, y) => x.site - y.site)[0];
      if (!cut) continue;
      const node = ctx.tree.nodes[cut.site];
      const zeroOp = zero(cut);
      const criterionCut = !zeroOp && !hidden(cut);
      // Numbers taken of the output (`values.append(value.item())` in a rollout): reported at the conversion, what to change.
      const numbersCut = criterionCut && node.type === 'call' && /^(?:item|tolist|numpy)$/.test(m.call(node)?.method ?? '');
      for (const c of tt.cuts) reported.add(c.site);
      // Reported at the term, in the loss the caller writes (the cut may be in a helper or another file's loss class); a cut
      // hidden in a model's method at the cut, which is what to change (shown at the caller's model call when the model is
      // another file's).
      ctx.report({
        node: numbersCut ? node : zeroOp || criterionCut ? term : node,
        message: numbersCut
          ? `\`${ctx.text(node)}\` turns a model's output into Python numbers, which \`${ctx.text(term)}\` (line ${ctx.lineOf(term)}), a term ` +
            `of \`${ctx.text(receiver)}\` computed by a loss function, is later rebuilt from: \`.backward()\` (line ${ctx.lineOf(b.node)}) trains the ` +
            'model through the other terms, while this one is a constant to its parameters and teaches it nothing (no error is ' +
            'raised; a value head trained this way stays at its initialisation). Keep the output as a tensor (append the tensor, ' +
            'then `torch.stack`), and use `.item()` only for logging and for the targets.'
          : criterionCut
          ? `\`${ctx.text(term)}\` is a term of \`${ctx.text(receiver)}\` computed by a loss function from ${describeCut(ctx, node)} of a ` +
            `model's output (line ${ctx.lineOf(node)}): \`.backward()\` (line ${ctx.lineOf(b.node)}) trains the model behind the cut through ` +
            'the other terms, while this one is a constant to its parameters and teaches it nothing (no error is raised). ' +
            'Drop the `.detach()` where the loss is to train through that output (a generator\'s adversarial term), and keep ' +
            'it for the other network\'s loss.'
          : zeroOp
          ? `\`${ctx.text(term)}\` is a term of \`${ctx.text(receiver)}\` that depends on the model only through ` +
            `\`${ctx.text(node).split('(')[0]}\` (line ${ctx.lineOf(node)}), which has no gradient: \`.backward()\` (line ${ctx.lineOf(b.node)}) ` +
            'trains the model through the other terms, while this one is a constant to its parameters and teaches it nothing ' +
            '(no error is raised). Write the term with a differentiable surrogate of the model\'s continuous output (probabilities ' +
            'or logits: a soft or expected count), and keep argmax, rounding and comparisons for metrics.'
          : `${describeCut(ctx, node)} in the model's \`${m.enclosingFunction(node)?.name ?? 'method'}\` cuts the parameters before it out of ` +
            `\`${ctx.text(term)}\` (line ${ctx.lineOf(term)}), a term of \`${ctx.text(receiver)}\`: \`.backward()\` (line ${ctx.lineOf(b.node)}) ` +
            'trains through the other terms, while this one is a constant to the parameters behind the cut, which get no gradient ' +
            'from it (no error is raised; without the other terms the backward raises "element 0 of tensors does not require grad"). ' +
            'Return the tensor with its graph from the model and detach only where a value is used for logging or sampling.',
        related: [
          numbersCut ? { node: term, message: 'the loss term rebuilt from those numbers' } : zeroOp ? { node, message: 'the operation without a gradient' } : criterionCut ? { node, message: 'the model\'s output detached here' } : { node: term, message: 'the term cut from the model' },
          { node: b.node, message: 'the backward of the loss' },
        ],
      });
    }
  }
}

/** The term is a loss function's value: the call itself, or a name every binding of which (here) is one. */
function lossCallTerm(m: SemanticModel, term: PyNode, lossCalls: Set<number>): boolean {
  const u = unparen(term);
  if (u.type === 'call') return lossCalls.has(u.id);
  if (u.type !== 'identifier' || !m.isUse(u)) return false;
  const bs = m.reachingBindings(u);
  return bs.length > 0 && bs.every((b) => {
    const v = b.kind === 'assign' ? bindingValue(b) : null;
    return v !== null && unparen(v).type === 'call' && lossCalls.has(unparen(v).id);
  });
}

/**
 * `model(x).detach()` / `model(x).data`: the cut is taken directly of a model call's output. Also a conversion to
 * Python numbers of an output (`value.item()`, `.tolist()`, `.numpy()` after `logits, value = policy(x)`): a rollout
 * that stores the critic's values as numbers and rebuilds them with `torch.tensor` for the value loss.
 */
function detachedModelOutput(m: SemanticModel, node: PyNode | undefined, modelCalls: Set<number>): boolean {
  if (!node) return false;
  let inner: PyNode | null | undefined = null;
  let numbers = false;
  if (node.type === 'call') {
    const c = m.call(node);
    if (!c || !c.method || !c.receiver || !/^(?:detach|item|tolist|numpy)$/.test(c.method)) return false;
    numbers = c.method !== 'detach';
    inner = c.receiver;
  } else if (node.type === 'attribute') {
    const a = field(node, 'attribute');
    if (!a || m.textOf(a) !== 'data') return false;
    inner = field(node, 'object');
  }
  if (!inner) return false;
  let u = unparen(inner);
  // `.cpu().numpy()`, `.detach().item()`: the output under tensor-to-tensor steps.
  while (numbers && u.type === 'call' && /^(?:cpu|detach|squeeze|flatten|float)$/.test(m.call(u)?.method ?? '') && m.call(u)?.receiver) u = unparen(m.call(u)!.receiver!);
  // `out[0].item()`: one of the output's entries.
  while (numbers && u.type === 'subscript') u = unparen(field(u, 'value') ?? u);
  if (u.type === 'call') return modelCalls.has(u.id);
  if (!numbers || u.type !== 'identifier' || !m.isUse(u)) return false;
  // A name bound to the model call's output (or one of its results: `logits, value = policy(x)`).
  const bs = m.reachingBindings(u);
  return bs.length > 0 && bs.every((b) => b.kind === 'assign' && b.value !== null && unparen(b.value).type === 'call' && modelCalls.has(unparen(b.value).id));
}

/**
 * `preds = torch.tensor(preds, requires_grad=True)`, `loss(preds, y).backward()`, `optimizer.step()`: a loss whose only
 * requires-grad inputs are leaves made in this function by copying values into new tensors (`torch.tensor`,
 * `torch.Tensor`, `Variable` with `requires_grad=True`) and that reaches no parameter. The optimizer stepped after the
 * backward was made before those leaves (it is not bound again in the function after the first of them, nor given them
 * with `add_param_group`), so it cannot hold them: the backward fills only the copies' `.grad` and the step changes
 * nothing. `requires_grad=True` was only silencing "element 0 of tensors does not require grad".
 */
function checkStepOfFreshLeaves(ctx: RuleContext, reported: Set<number>): void {
  const a = ctx.analysis;
  const m = ctx.model;
  if (a.events.backwards.length === 0) return;
  const leafById = new Map<number, (typeof a.events.leaves)[number]>();
  for (const l of a.events.leaves) if (!leafById.has(l.node.id)) leafById.set(l.node.id, l);
  for (const b of a.events.backwards) {
    if (reported.has(b.node.id) || !isKind(b.target, Kind.TENSOR)) continue;
    const t = tensorOfValue(b.target);
    // A loss function the file does not define (`loss(preds, gt)`, `self.criterion(...)`) is taken to compute from its
    // arguments and to have no parameters of its own, as checkLossCutFromModel takes it; the analysis keeps its call as a
    // possible module (its site in `params`, its result unknown).
    const unknownLoss = t.params.length > 0 && t.params.every((id) => isUnknownLossCall(m, ctx.tree.nodes[id]));
    if (isKind(b.target, Kind.UNKNOWN) && !unknownLoss) continue;
    if ((t.params.length > 0 && !unknownLoss) || (t.opaque && !unknownLoss) || t.recOff !== null || t.inference || t.dGraph.length > 0 || t.gradOf !== null) continue;
    const ids = [...new Set([...t.leaves, ...t.mayLeaf, ...(t.leafOf !== null ? [t.leafOf] : [])])];
    if (ids.length === 0) continue;
    const leaves = ids.map((id) => leafById.get(id));
    if (!leaves.every((l) => l !== undefined && isCopiedLeaf(m, l.node, l.kind) && l.fn === b.fn && l.node.start < b.node.start)) continue;
    // A copy of a value that reaches a visible model only through a cut is reported by checkLossCutFromModel.
    if (leaves.some((l) => reported.has(l!.node.id))) continue;
    const first = Math.min(...leaves.map((l) => l!.node.start));
    // The copies' `.grad` read afterwards: they are what the code differentiates (an attribution), not a training loss.
    if (a.events.gradReads.some((g) => g.node.start > b.node.start && g.owner.t !== null && ids.some((id) => g.owner.t!.leafOf === id || g.owner.t!.mayLeaf.includes(id)))) continue;
    const step = stepAfter(ctx, b.node, first);
    if (!step) continue;
    reported.add(b.node.id);
    const opt = m.call(step)?.receiver;
    ctx.report({
      node: b.node,
      message:
        `\`${ctx.text(b.node)}\` reaches no parameter: its loss requires grad only through ${leaves.length === 1 ? 'the new leaf' : 'new leaves'} made by copying ` +
        `values (${leaves.map((l) => `line ${ctx.lineOf(l!.node)}`).join(', ')}), and \`${opt ? ctx.text(opt) : 'the optimizer'}.step()\` (line ${ctx.lineOf(step)}) ` +
        'belongs to an optimizer made before them, which cannot hold them: the step changes nothing and nothing trains ' +
        '(`requires_grad=True` on the copy only silences "element 0 of tensors does not require grad"). Compute the loss from the ' +
        'model\'s output with torch operations, without converting it to NumPy, pandas or a new tensor.',
      related: [
        ...leaves.map((l) => ({ node: l!.node, message: 'a copy marked requires_grad' })),
        { node: step, message: 'the step that moves nothing' },
      ],
    });
  }
}

/** A call of a loss function the file does not define: `loss(p, y)`, `loss_fn(p, y)`, `self.criterion(p, y)`. */
function isUnknownLossCall(m: SemanticModel, node: PyNode | undefined): boolean {
  if (!node || node.type !== 'call') return false;
  const c = m.call(node);
  const fn = field(node, 'function');
  if (!c || c.local || c.calleeCall || !fn || (fn.type !== 'identifier' && fn.type !== 'attribute')) return false;
  const q = m.qualifiedName(fn);
  if (q !== null && /^(?:torch|tensorflow|jax)\./.test(q)) return false;
  const text = m.textOf(fn);
  return /loss|criterion/i.test(text.slice(text.lastIndexOf('.') + 1));
}

/** A leaf made by copying a computed value into a new tensor: `torch.tensor(v, requires_grad=True)`, `Variable(v, requires_grad=True)`. */
function isCopiedLeaf(m: SemanticModel, node: PyNode, kind: string): boolean {
  if (kind !== 'factory' || node.type !== 'call') return false;
  const c = m.call(node);
  const a0 = c?.positional[0] ? unparen(c.positional[0]) : null;
  if (!c || !c.qname || !REWRAPPERS.has(c.qname) || !a0) return false;
  // Literal data (`torch.tensor([1.0, 2.0], requires_grad=True)`) is a parameter being made, not a copy of results.
  return a0.type === 'identifier' || a0.type === 'attribute' || a0.type === 'subscript' || a0.type === 'call';
}

/**
 * The `opt.step()` after `backward` in the same function whose optimizer existed before `since` (the first copied
 * leaf): `opt` is not bound (or assigned as an attribute) in the function after `since`, and nothing in the function
 * gives it parameters (`add_param_group`). Null when there is none.
 */
function stepAfter(ctx: RuleContext, backward: PyNode, since: number): PyNode | null {
  const m = ctx.model;
  const fn = m.enclosingFunction(backward);
  const inFn = (n: PyNode): boolean => m.enclosingFunction(n) === fn;
  for (const c of m.calls) {
    if (c.method !== 'step' || !c.receiver || c.node.start <= backward.start || !inFn(c.node)) continue;
    if (c.positional.length > 0 || c.keywords.size > 0) continue; // `step(closure)`: the closure computes its own loss
    const r = unparen(c.receiver);
    if (r.type !== 'identifier' && r.type !== 'attribute') continue;
    const text = ctx.text(r);
    if (!/opt/i.test(text.slice(text.lastIndexOf('.') + 1))) continue;
    const rebound =
      (r.type === 'identifier' && m.bindings.some((bd) => bd.name === text && bd.at > since && bd.at < c.node.start && inFn(bd.stmt))) ||
      m.mutations.some((mu) => mu.kind === 'attribute' && ctx.text(mu.target) === text && mu.stmt.start > since && mu.stmt.start < c.node.start && inFn(mu.stmt)) ||
      m.calls.some((k) => k.method === 'add_param_group' && k.receiver !== null && ctx.text(k.receiver) === text && inFn(k.node));
    if (!rebound) return c.node;
  }
  return null;
}

/** Links of a chain that leave autograd: `n.detach()`, `n.item()`, `n.data`, `n.numpy()`, `n.tolist()`. */
const REBIND_CUTS = new Set(['detach', 'item', 'data', 'numpy', 'tolist']);

/**
 * `adv = adv.detach().item()` (to log it, or to free memory) and then `loss = rec + adv; loss.backward()`: the name that
 * held a loss term with its graph is rebound to its cut copy before the loss is made of it, so the term is a constant and
 * trains nothing; nothing raises while the other terms are live (guopengf/FL-MRCM issue 10). Read from the text: the term
 * of the backpropagated loss (`lossTerms`, through the names it is bound to) is the value of an assignment rebinding the
 * name that value is computed from, through a chain with a cut link (or `float(n)`); the earlier value of that name is
 * not a literal. Works whatever the model is (an argument, another file's).
 */
function checkRebindingCutTerm(ctx: RuleContext, reported: Set<number>): void {
  const a = ctx.analysis;
  const m = ctx.model;
  for (const b of a.events.backwards) {
    const receiver = m.call(b.node)?.receiver;
    if (!receiver) continue;
    for (const t of lossTerms(m, receiver, 0, new Set())) {
      // A weighted term stays a name (`0.1 * aux`): the values it may hold, literal start values aside.
      let term = t;
      if (unparen(t).type === 'identifier' && m.isUse(unparen(t))) {
        const values = m.reachingBindings(unparen(t)).map((bd) => bindingValue(bd));
        const computed = values.filter((v) => v !== null && !['integer', 'float'].includes(unparen(v).type));
        if (computed.length !== 1 || values.some((v) => v === null)) continue;
        term = computed[0]!;
      }
      const cut = rebindingCutLink(m, term);
      if (!cut || reported.has(cut.id)) continue;
      reported.add(cut.id);
      const assign = term.parent!;
      const name = ctx.text(field(assign, 'left')!);
      ctx.report({
        node: cut,
        message:
          `${describeCut(ctx, cut)} rebinds \`${name}\` to a copy without a graph, and the loss backpropagated at line ${ctx.lineOf(b.node)} ` +
          `adds \`${name}\` as a term: that term is a constant, the model gets no gradient from it and nothing raises while the ` +
          `other terms train. Keep the tensor for the loss and convert a copy for logging (\`log.append(${name}.item())\`).`,
        related: [{ node: b.node, message: 'the backward of the loss that adds the cut copy' }],
      });
    }
  }
}

/** The cut link of `n = n.detach().item()` when `term` is that right side (and `n` held a computed value before). */
function rebindingCutLink(m: SemanticModel, term: PyNode): PyNode | null {
  const assign = term.parent;
  if (!assign || assign.type !== 'assignment' || field(assign, 'right') !== term) return null;
  const left = field(assign, 'left');
  if (!left || left.type !== 'identifier') return null;
  const name = m.textOf(left);
  let cut: PyNode | null = null;
  let n: PyNode | null = unparen(term);
  if (n.type === 'call' && m.call(n)?.qname === 'float') {
    cut = n;
    n = m.call(n)?.positional[0] ?? null;
  }
  // Down the chain to its root: `n.detach().cpu().item()`.
  while (n && n.type !== 'identifier') {
    if (n.type === 'call') {
      const fn = field(n, 'function');
      if (!fn || fn.type !== 'attribute') return null;
      const attr = field(fn, 'attribute');
      if (attr && REBIND_CUTS.has(m.textOf(attr))) cut = n;
      n = field(fn, 'object');
    } else if (n.type === 'attribute') {
      const attr = field(n, 'attribute');
      if (attr && REBIND_CUTS.has(m.textOf(attr))) cut = n;
      n = field(n, 'object');
    } else return null;
  }
  if (!n || !cut || m.textOf(n) !== name || !m.isUse(n)) return null;
  // What the name held before: computed (a loss), not a literal start value or a parameter of unknown meaning.
  const before = m.reachingBindings(n);
  if (before.length === 0 || !before.every((bd) => bd.kind === 'assign' || bd.kind === 'augassign')) return null;
  return before.every((bd) => {
    const v = bindingValue(bd);
    return v !== null && !['integer', 'float', 'none', 'true', 'false', 'string'].includes(unparen(v).type);
  })
    ? cut
    : null;
}

/**
 * A cut inside a method of a model class (a class with a `forward`) that the function of the backward is not part of:
 * the model hides it from the training code (`return torch.stack(logits, 1).data` in a decoder's `sample`).
 */
function cutInModelMethod(m: SemanticModel, node: PyNode | undefined, backwardFn: PyNode | null): boolean {
  if (!node) return false;
  const fn = m.enclosingFunction(node);
  const cls = fn ? m.classOfMethod(fn) : null;
  if (!cls || !m.methodsOf(cls).has('forward')) return false;
  for (let p: PyNode | null = backwardFn; p; p = p.parent) if (p === cls) return false;
  return true;
}

/** Activations that turn a network's output into probabilities (what a threshold is then applied to). */
const PROBABILITY_ACTIVATIONS = new Set(['sigmoid', 'softmax']);
/** Names of a network's output (as Keras loss signatures name the prediction). */
const PREDICTION_NAME = /^(?:y_?pred\w*|y_?hat|preds?|predictions?|logits|outputs?|out|y_?out)$/i;
/** Names of targets (data a loss compares the prediction with), as loss signatures and training loops spell them. */
const TARGET_NAME = /^(?:y|ys|y_?(?:true|train|batch|real|gt|target|label)s?|labels?|targets?|gts?|ground_?truths?|truths?|true_?labels?|batch_?(?:y|labels?|targets?))$/i;

interface LossClosure {
  /** Operations without a gradient whose operand is a probability (`floor(sigmoid(z))`, `softmax(z).argmax(1)`). */
  cuts: PyNode[];
  /** Names (and other leaves) the loss reads outside those operations. */
  free: PyNode[];
  /** Names read inside them. */
  inside: PyNode[];
  /** Something outside the cuts that may run a network or is not understood. */
  opaque: boolean;
}

function isProbabilityActivation(m: SemanticModel, node: PyNode): boolean {
  if (node.type !== 'call') return false;
  const c = m.call(node);
  if (!c) return false;
  if (c.qname) return /^(?:torch|tensorflow)\./.test(c.qname) && PROBABILITY_ACTIVATIONS.has(c.qname.split('.').pop()!);
  return !!c.method && !!c.receiver && PROBABILITY_ACTIVATIONS.has(c.method);
}

/**
 * The loss expression with the names bound to it in the function (each name followed when every binding reaching it is
 * an assignment). Library tensor operations and loss callables are looked through; anything else that is called is opaque.
 */
function lossClosure(m: SemanticModel, expr: PyNode, modelOutput: (n: PyNode) => boolean = () => false): LossClosure {
  const out: LossClosure = { cuts: [], free: [], inside: [], opaque: false };
  // Visited nodes, apart inside and outside a cut (a name read in a threshold and in a live term is read outside).
  const seen = [new Set<number>(), new Set<number>()];
  const visit = (n0: PyNode, depth: number, cut: PyNode | null, prob: { found: boolean } | null): void => {
    const n = unparen(n0);
    const seenHere = seen[cut ? 1 : 0];
    if (seenHere.has(n.id) || depth > 6 || out.opaque) return;
    seenHere.add(n.id);
    const leaf = (x: PyNode): void => void (cut ? out.inside : out.free).push(x);
    switch (n.type) {
      case 'integer': case 'float': case 'true': case 'false': case 'none': case 'string':
        return;
      case 'identifier': {
        // A name that says it holds the network's output (`outputs`, `logits`, `y_pred`) is a prediction too.
        // So is a value the analysis sees computed by a network (a Keras model's or a module's output, whatever its name).
        if (prob && (PREDICTION_NAME.test(m.textOf(n)) || modelOutput(n))) prob.found = true;
        const bs = m.reachingBindings(n);
        if (bs.length > 0 && bs.every((b) => b.kind === 'assign') && depth < 6) {
          for (const b of bs) {
            const v = bindingValue(b);
            if (v) visit(v, depth + 1, cut, prob);
            else leaf(n);
          }
        } else leaf(n);
        return;
      }
      case 'attribute': {
        const attr = field(n, 'attribute');
        if (attr && /^(?:shape|dtype|device|ndim)$/.test(m.textOf(attr))) return;
        // A library constant (`tf.float32`, `torch.long`, `np.pi`).
        if (/^(?:torch|tensorflow|numpy|math)\./.test(m.qualifiedName(n) ?? '')) return;
        leaf(n);
        return;
      }
      case 'subscript':
        visit(field(n, 'value')!, depth, cut, prob);
        return;
      case 'comparison_operator': {
        const inner = { found: false };
        for (const ch of namedChildren(n)) visit(ch, depth, cut ?? n, inner);
        if (inner.found && !cut) out.cuts.push(n);
        if (prob && inner.found) prob.found = true;
        return;
      }
      case 'binary_operator': case 'unary_operator': case 'boolean_operator': case 'list': case 'tuple': case 'parenthesized_expression':
        for (const ch of namedChildren(n)) visit(ch, depth, cut, prob);
        return;
      case 'call': {
        const c = m.call(n);
        if (!c) { out.opaque = true; return; }
        if (!cut && (zeroGradientOp(m, n) || tfNoGradientCall(m, c))) {
          const inner = { found: false };
          if (c.receiver && c.method) visit(c.receiver, depth, n, inner);
          for (const a of [...c.positional, ...c.keywords.values()]) visit(a, depth, n, inner);
          if (inner.found) out.cuts.push(n);
          return;
        }
        if (prob && isProbabilityActivation(m, n)) prob.found = true;
        const name = c.qname ?? c.method ?? '';
        const understood =
          (c.qname !== null && /^(?:torch|tensorflow)\./.test(c.qname) && !/^(?:torch\.nn\.(?!functional)|tensorflow\.keras\.(?:layers|models|Model|Sequential))/.test(c.qname)) ||
          (c.method !== null && c.receiver !== null && /^(?:float|double|sum|mean|abs|pow|squeeze|unsqueeze|view|reshape|type|to|cpu|cuda|flatten|sigmoid|softmax|clamp|clip)$/.test(c.method)) ||
          (c.calleeCall === null && LOSS_CALLABLE_NAME.test(name.split('.').pop() ?? '')) ||
          (c.calleeCall !== null && /^torch\.nn\.\w*Loss$|^tensorflow\.keras\.losses\./.test(rootCalleeName(c) ?? ''));
        if (!understood) {
          if (!cut) out.opaque = true;
          return;
        }
        if (c.receiver && c.method) visit(c.receiver, depth, cut, prob);
        for (const a of [...c.positional, ...c.keywords.values()]) visit(a, depth, cut, prob);
        return;
      }
      default:
        if (!cut) out.opaque = true;
    }
  };
  visit(expr, 0, null, null);
  return out;
}

/** A TensorFlow call without a gradient: argmax, rounding, a comparison function, NumPy, a cast to an integer or boolean dtype. */
function tfNoGradientCall(m: SemanticModel, c: CallInfo): boolean {
  if (!c.qname) return false;
  if (TF_NO_GRADIENT.has(c.qname) || TF_NUMPY_FUNCTIONS.has(c.qname)) return true;
  const dt = TF_CASTS.has(c.qname) ? (c.keywords.get('dtype') ?? c.positional[1]) : undefined;
  return !!dt && INT_DTYPE.test(m.textOf(dt));
}

/**
 * A loss that is trained (`loss.backward()`, `optimizer.minimize(loss)`, `tape.gradient(loss, ...)`) and that reads a
 * network's output (`sigmoid`/`softmax` of a value from code not shown, or a name such as `outputs`, `logits`, `y_pred`) only through a threshold, rounding,
 * argmax or integer cast, with nothing else in it but targets (`y_true`, `labels`) and tensor operations: the
 * prediction's gradient is zero or None, so the network behind it gets none (PyTorch raises "element 0 of tensors does
 * not require grad", TensorFlow "No gradients provided for any variable"). The network itself need not be in view:
 * the probability activation says what the thresholded value is.
 */
function checkThresholdedPrediction(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  const a = ctx.analysis;
  const sinks: { loss: PyNode; at: PyNode; how: string; wrt?: PyNode | null }[] = [];
  for (const c of m.calls) {
    if (c.method === 'backward' && c.receiver && c.positional.length === 0) sinks.push({ loss: c.receiver, at: c.node, how: '`.backward()`' });
    else if (c.method === 'minimize' && c.receiver && isTensorFlowOptimizer(ctx, c.receiver)) {
      const l = c.keywords.get('loss') ?? c.positional[0];
      if (l) sinks.push({ loss: l, at: c.node, how: `\`${calleeText(ctx, c.node)}\`` });
    }
  }
  for (const tape of findTapes(m)) {
    for (const g of tape.uses) {
      if (g.method === 'gradient' && g.positional[0]) sinks.push({ loss: g.positional[0], at: g.node, how: `\`${calleeText(ctx, g.node)}\``, wrt: g.positional[1] ?? g.keywords.get('sources') ?? null });
    }
  }
  for (const s of sinks) {
    // Visible parameters or leaves keep the loss live: the other checks judge it.
    const v = a.valueOf(s.loss);
    if (v?.t && (v.t.params.length > 0 || v.t.leaves.length > 0 || v.t.leafOf !== null)) continue;
    const cl = lossClosure(m, s.loss, (n) => (a.valueOf(n)?.t?.params.length ?? 0) > 0);
    if (cl.opaque || cl.cuts.length === 0) continue;
    if (!cl.free.every((f) => f.type === 'identifier' && TARGET_NAME.test(m.textOf(f)))) continue;
    // The prediction is read nowhere else in the loss (a straight-through estimator adds it back).
    const insideNames = new Set(cl.inside.map((x) => m.textOf(x)));
    if (cl.free.some((f) => insideNames.has(m.textOf(f))) || cl.inside.some((x) => TARGET_NAME.test(m.textOf(x)) && cl.inside.length === 1)) continue;
    for (const cut of cl.cuts) {
      if (reported.has(cut.id)) continue;
      reported.add(cut.id);
      const tf = s.how !== '`.backward()`';
      const what = (tf ? noGradientOp(m, cut) : null) ?? describeCut(ctx, cut);
      // A tape gradient with respect to a tensor (Grad-CAM's feature map), not to the model's variables: no training.
      const wrtTensor = s.wrt ? !/variables|weights|params|parameters/i.test(ctx.text(s.wrt)) : false;
      const head = `${what} has no gradient, and `;
      const at = `${s.how} (line ${ctx.lineOf(s.at)})`;
      ctx.report({
        node: cut,
        message: wrtTensor
          ? head +
            `the value differentiated with ${at} reads the network's output only through it: its gradient with respect to ` +
            `\`${ctx.text(s.wrt!)}\` is None. Differentiate the score itself (the logit or probability of the chosen class) and use ` +
            'the argmax or threshold only to choose it.'
          : head +
            `the loss trained with ${at} reads the network's output only through it, besides its targets: the network behind it ` +
            'gets no gradient (' +
            (tf ? 'TensorFlow: "No gradients provided for any variable"' : 'PyTorch raises "element 0 of tensors does not require grad", or, through a rounding, every gradient is zero') +
            '). Compute the loss from the probabilities (or logits) themselves, e.g. binary cross-entropy, and threshold only for predictions and metrics.',
        related: [{ node: s.at, message: wrtTensor ? 'differentiated here' : 'the loss is trained here' }],
      });
    }
  }
}

/** Parameters that hold a prediction in a loss's signature (as Keras losses are recognised). */
const PREDICTION_PARAM = /^(?:y_?pred\w*|y_?hat|preds?|predictions?|logits|outputs?|y_?out|y_?pr|pr)$/i;
/** A function named as a loss. */
const LOSS_FUNCTION_NAME = /loss|criterion|objective/i;
/** Builtins and NumPy: their results leave autograd. */
const LEAVES_AUTOGRAD = /^(?:float|int|bool|round|numpy\.|math\.)/;

interface ParamReads {
  /** Reads of the parameter outside any cut (a live path). */
  live: number;
  /** The outermost cuts it is read through (in the order met). */
  cuts: PyNode[];
}

/**
 * How a function's value reads one of its parameters: through which operations without a gradient (argmax, rounding,
 * comparisons, integer casts, `.detach()`, `.data`, `.item()`, NumPy, `torch.tensor(...)` copies), and whether it is read
 * outside them. Names bound in the function are followed; calls the analysis does not know count as live reads of what
 * they are given (they may be differentiable). Shape reads (`.shape`, `.size()`, `len`) are neither.
 */
function paramReads(m: SemanticModel, exprs: PyNode[], param: string): ParamReads {
  const out: ParamReads = { live: 0, cuts: [] };
  // Visited nodes, apart inside and outside a cut: a name read in a threshold and also in a live term counts live.
  const seen = [new Set<number>(), new Set<number>()];
  const visit = (n0: PyNode, depth: number, cut: PyNode | null): void => {
    const n = unparen(n0);
    const seenHere = seen[cut ? 1 : 0];
    if (seenHere.has(n.id) || depth > 8) return;
    seenHere.add(n.id);
    if (n.type === 'identifier') {
      const bs = m.reachingBindings(n);
      if (bs.some((b) => b.kind === 'param') && m.textOf(n) === param) {
        if (cut) {
          if (!out.cuts.includes(cut)) out.cuts.push(cut);
        } else out.live++;
        return;
      }
      for (const b of bs) {
        if (b.kind !== 'assign') continue;
        const v = bindingValue(b);
        if (v) visit(v, depth + 1, cut);
      }
      return;
    }
    if (n.type === 'attribute') {
      const attr = field(n, 'attribute');
      const name = attr ? m.textOf(attr) : '';
      if (/^(?:shape|dtype|device|ndim|is_cuda|requires_grad)$/.test(name)) return;
      visit(field(n, 'object')!, depth, cut ?? (name === 'data' ? n : null));
      return;
    }
    if (n.type === 'comparison_operator') {
      for (const ch of namedChildren(n)) visit(ch, depth, cut ?? n);
      return;
    }
    if (n.type === 'call') {
      const c = m.call(n);
      if (!c) return;
      const q = c.qname ?? '';
      if (c.method && /^(?:size|dim|numel|nelement|type_as)$/.test(c.method) && c.receiver) return;
      if (q === 'len' || q === 'isinstance') return;
      const isCut =
        zeroGradientOp(m, n) ||
        (c.method !== null && c.receiver !== null && CUT_METHODS.has(c.method) && c.method !== 'predict') ||
        REWRAPPERS.has(q) ||
        q === 'torch.from_numpy' ||
        LEAVES_AUTOGRAD.test(q) ||
        ((c.method === 'to' || c.method === 'type') && [...c.positional, ...c.keywords.values()].some((a) => INT_TORCH_DTYPE.test(m.textOf(a))));
      const inner = cut ?? (isCut ? n : null);
      if (c.receiver) visit(c.receiver, depth, inner);
      for (const a of [...c.positional, ...c.keywords.values()]) visit(a, depth, inner);
      return;
    }
    for (const ch of namedChildren(n)) visit(ch, depth, cut);
  };
  for (const e of exprs) visit(e, 0, null);
  return out;
}

const INT_TORCH_DTYPE = /^(?:torch\.)?(?:long|int(?:8|16|32|64)?|uint8|bool|short|LongTensor|IntTensor|BoolTensor|cuda\.LongTensor)$|^['"]torch\.(?:cuda\.)?(?:Long|Int|Bool)Tensor['"]$/;

function returnValues(fn: PyNode): PyNode[] {
  const values: PyNode[] = [];
  const body = field(fn, 'body');
  if (!body) return values;
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'return_statement') {
      const v = namedChildren(n)[0];
      if (v) values.push(v);
    }
  });
  return values;
}

/** `torch.tensor(t, requires_grad=True)` (or `Variable(t, requires_grad=True)`): a new leaf made of `t`'s values. */
function isMarkedCopy(m: SemanticModel, n: PyNode): boolean {
  const u = unparen(n);
  if (u.type !== 'call') return false;
  const c = m.call(u);
  if (!c || !c.qname || !REWRAPPERS.has(c.qname)) return false;
  const rg = c.keywords.get('requires_grad');
  return !!rg && m.literalBool(rg) === true;
}

/**
 * PyTorch functions whose role says a gradient must flow through them, judged without their caller:
 * (1) a loss (`def dice_loss(pred, target)`, a `*loss*` method) whose every returned value reads the prediction only
 * through an operation without a gradient — the result is a constant to the network (PyTorch raises "element 0 of
 * tensors does not require grad", or, through a copy marked `requires_grad=True`, trains nothing);
 * (2) a transform that returns its tensor argument unchanged on one path and, on another, a copy marked
 * `requires_grad=True` of a thresholded, rounded or cast value of it (segmentation_models.pytorch's `_threshold` as a
 * pull request changed it): the copy is a new leaf, so what callers compute from it does not reach the argument, and
 * marking it only hides the error.
 */
function checkLossFunctionCut(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  if (!/\btorch\b/.test(m.source)) return;
  for (const info of m.functions) {
    const def = info.node;
    if (def.type !== 'function_definition' || def.start >= m.lintedEnd) continue;
    const rets = returnValues(def);
    if (rets.length === 0) continue;
    const params = info.params.filter((p) => p.name !== 'self' && p.name !== 'cls');
    // (2) A pass-through with a marked copy of a cut of the same parameter.
    for (const p of params) {
      if (!rets.some((r) => unparen(r).type === 'identifier' && m.textOf(unparen(r)) === p.name)) continue;
      for (const r of rets) {
        if (!isMarkedCopy(m, r)) continue;
        const c = m.call(unparen(r))!;
        const data = c.positional[0];
        if (!data) continue;
        const reads = paramReads(m, [data], p.name);
        const zero = reads.cuts.find((k) => zeroGradientOp(m, k));
        if (reads.live > 0 || !zero || reported.has(r.id)) continue;
        reported.add(r.id);
        ctx.report({
          node: unparen(r),
          message:
            `\`${ctx.text(field(unparen(r), 'function')!)}(..., requires_grad=True)\` copies ${describeCut(ctx, zero)} of \`${p.name}\` into a new leaf, while ` +
            `\`${info.name}\` returns \`${p.name}\` itself on its other path: whatever is computed from this copy does not reach \`${p.name}\` ` +
            'or the network that made it, so a loss on it trains nothing (`requires_grad=True` only hides "element 0 of tensors does ' +
            'not require grad"). Keep a differentiable path: use the continuous value (a soft threshold such as `torch.sigmoid(k * (x - t))`) ' +
            'or a straight-through estimator, and threshold only for metrics.',
          related: [{ node: zero, message: 'the operation without a gradient' }],
        });
      }
    }
    // (1) A loss whose result reads its prediction only through cuts: a loss-named function or method, or the `forward`
    // of a loss module (`class DiceLoss(nn.Module)`, a `_Loss` subclass), whose first argument is the prediction by
    // PyTorch's convention (`forward(self, input, target)`).
    let cls: PyNode | null = null;
    for (let q = def.parent; q && !cls; q = q.parent) if (q.type === 'class_definition') cls = q;
    const clsName = cls ? field(cls, 'name') : null;
    const lossModule = info.isMethod && info.name === 'forward' && !!clsName && (LOSS_FUNCTION_NAME.test(m.textOf(clsName)) || /\b(?:_Weighted|_)?Loss\b/.test(ctx.text(field(cls!, 'superclasses') ?? clsName)));
    if (!LOSS_FUNCTION_NAME.test(info.name) && !lossModule) continue;
    // A function decorated to run without recording (`@torch.no_grad()`: DETR's logged cardinality "loss") says it is
    // not differentiated.
    if (info.decorators.some((d) => /no_grad|inference_mode/.test(d))) continue;
    // A subclass of PyTorch's loss bases (`_Loss`, `_WeightedLoss`) keeps their `forward(input, target)` order, whatever
    // it names the first argument.
    const torchLossBase = lossModule && /\b_(?:Weighted)?Loss\b/.test(ctx.text(field(cls!, 'superclasses') ?? clsName!));
    const pred = params.find((p) => PREDICTION_PARAM.test(p.name)) ?? (lossModule && params[0] && (torchLossBase || /^inputs?$/.test(params[0].name)) ? params[0] : undefined);
    if (!pred) continue;
    // A dict of results names the role of each: only the entries whose key says loss are losses (`{'loss_ce': ...,
    // 'class_error': ...}`); a function returning none is not judged.
    const lossValues = rets.flatMap((r) => {
      let u = unparen(r);
      // `losses = {...}; return losses`.
      if (u.type === 'identifier') {
        const bs = m.reachingBindings(u);
        const v = bs.length === 1 && bs[0].kind === 'assign' ? bindingValue(bs[0]) : null;
        if (v && unparen(v).type === 'dictionary') u = unparen(v);
      }
      if (u.type !== 'dictionary') return [r];
      return namedChildren(u).flatMap((pair) => {
        const k = pair.type === 'pair' ? field(pair, 'key') : null;
        const v = pair.type === 'pair' ? field(pair, 'value') : null;
        return k && v && k.type === 'string' && /loss/i.test(m.textOf(k)) ? [v] : [];
      });
    });
    if (lossValues.length === 0) continue;
    const lossName = lossModule ? `${m.textOf(clsName!)}.forward` : info.name;
    const reads = paramReads(m, lossValues, pred.name);
    if (reads.live > 0 || reads.cuts.length === 0) continue;
    // Only operations without a gradient, and marked copies: a `.detach()`/`.item()` alone may be a logged value.
    const first = reads.cuts.find((k) => zeroGradientOp(m, k) || (k.type === 'call' && isMarkedCopy(m, k)));
    if (!first || reported.has(first.id)) continue;
    const zero = first.type === 'call' && isMarkedCopy(m, first) ? (paramReads(m, [m.call(first)!.positional[0] ?? first], pred.name).cuts.find((k) => zeroGradientOp(m, k)) ?? null) : first;
    if (!zero) continue;
    reported.add(first.id);
    ctx.report({
      node: first,
      message:
        `${describeCut(ctx, zero)} has no gradient, and the loss \`${lossName}\` reads its prediction \`${pred.name}\` only through it: the ` +
        'loss is a constant to the network that made the prediction, which gets no gradient from it (`backward()` raises "element 0 of ' +
        'tensors does not require grad"' + (first !== zero ? ', which the copy marked `requires_grad=True` only hides' : '') + '). Compute the loss from the ' +
        'continuous prediction (probabilities or logits: a soft Dice, cross-entropy) and threshold only for metrics.',
      related: first !== zero ? [{ node: zero, message: 'the operation without a gradient' }] : [],
    });
  }
}

/** Containers of layers a `forward` iterates over. */
const LAYER_CONTAINERS = new Set(['torch.nn.ModuleList', 'torch.nn.Sequential']);

/**
 * A `forward` that runs the layers of a `ModuleList`/`Sequential` in a loop and detaches the value the loop carries
 * from one layer to the next (`for layer in self.layers: h = layer(h.detach())`), then returns what the last layer made:
 * the output depends on the earlier layers only through the detach, so a loss on it trains the last layer alone and
 * every earlier one gets no gradient (nothing raises). Not reported when the loop keeps each layer's output (decoupled,
 * layer-wise training: a list it appends to, a loss or backward inside the loop).
 */
function checkDetachInLayerLoop(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  if (!m.source.includes('detach') && !m.source.includes('.data')) return;
  for (const info of m.functions) {
    if (!info.isMethod || info.name !== 'forward' || info.node.start >= m.lintedEnd) continue;
    const cls = info.node.parent?.parent?.type === 'class_definition' ? info.node.parent.parent : info.node.parent?.parent?.parent?.type === 'class_definition' ? info.node.parent.parent.parent : null;
    if (!cls) continue;
    const body = field(info.node, 'body');
    if (!body) continue;
    const loops: PyNode[] = [];
    walk(body, (n) => {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
      if (n.type === 'for_statement') loops.push(n);
    });
    for (const loop of loops) {
      const layerName = loopLayerName(m, loop, cls);
      const loopBody = field(loop, 'body');
      if (!layerName || !loopBody) continue;
      // Decoupled training keeps or trains each layer's output inside the loop.
      let perLayer = false;
      walk(loopBody, (n) => {
        if (n.type !== 'call') return;
        const c = m.call(n);
        if (c && ((c.method && /^(?:append|extend|insert|backward)$/.test(c.method)) || LOSS_FUNCTION_NAME.test(c.qname ?? c.method ?? ''))) perLayer = true;
      });
      if (perLayer) continue;
      // `h = layer(...)` in the loop, and `h.detach()` (or `h.data`) in a value bound to `h` in the loop.
      let carried: string | null = null;
      let cutAt: PyNode | null = null;
      walk(loopBody, (n) => {
        if (n.type !== 'assignment') return;
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (!left || !right || left.type !== 'identifier') return;
        const h = m.textOf(left);
        let callsLayer = false;
        let detach: PyNode | null = null;
        walk(right, (x) => {
          if (x.type === 'call') {
            const f = field(x, 'function');
            if (f && f.type === 'identifier' && m.textOf(f) === layerName) callsLayer = true;
            const c = m.call(x);
            if (c && c.method === 'detach' && c.receiver && unparen(c.receiver).type === 'identifier' && m.textOf(unparen(c.receiver)) === h) detach ??= x;
          }
          if (x.type === 'attribute' && m.textOf(field(x, 'attribute')!) === 'data') {
            const o = field(x, 'object');
            if (o && o.type === 'identifier' && m.textOf(o) === h) detach ??= x;
          }
        });
        if (callsLayer && detach && (carried === null || carried === h)) {
          carried = h;
          cutAt ??= detach;
        }
      });
      if (!carried || !cutAt) continue;
      const h = carried;
      // The forward returns what the loop carried (alone or through further layers).
      const returnsIt = info.returns.some((r) => {
        let uses = false;
        walk(r, (x) => {
          if (x.type === 'identifier' && m.textOf(x) === h && x.start > loop.end) uses = true;
        });
        return uses;
      });
      const cut: PyNode = cutAt;
      if (!returnsIt || reported.has(cut.id)) continue;
      reported.add(cut.id);
      const container = ctx.text(loopIterable(m, loop)!);
      ctx.report({
        node: cut,
        message:
          `\`${ctx.text(cut)}\` detaches \`${h}\` before each layer of \`${container}\` in \`forward\`: the output depends on the earlier ` +
          'layers only through the detach, so a loss on it trains the last layer alone and every earlier layer gets no gradient ' +
          '(nothing raises). Pass the value on without `.detach()`; freeze layers with `requires_grad_(False)` if that is the intent.',
        related: [{ node: loop, message: 'the loop over the layers' }],
      });
    }
  }
}

function loopIterable(m: SemanticModel, loop: PyNode): PyNode | null {
  const right = field(loop, 'right');
  if (!right) return null;
  const u = unparen(right);
  const f = u.type === 'call' ? field(u, 'function') : null;
  if (u.type === 'call' && (!f || m.qualifiedName(f) !== 'enumerate')) return null;
  if (u.type === 'call') {
    const args = field(u, 'arguments');
    return args ? (namedChildren(args)[0] ?? null) : null;
  }
  return u;
}

/** The loop variable holding a layer when the loop iterates a `ModuleList`/`Sequential` the class builds (`self.layers`). */
function loopLayerName(m: SemanticModel, loop: PyNode, cls: PyNode): string | null {
  const it = loopIterable(m, loop);
  if (!it || it.type !== 'attribute') return null;
  const obj = field(it, 'object');
  const attr = field(it, 'attribute');
  if (!obj || !attr || obj.type !== 'identifier' || m.textOf(obj) !== 'self') return null;
  const name = m.textOf(attr);
  let built = false;
  walk(cls, (n) => {
    if (built || n.type !== 'assignment') return;
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (!l || !r || l.type !== 'attribute' || m.textOf(l) !== `self.${name}` || unparen(r).type !== 'call') return;
    // Through `.to(device)`, `.double()`, `.cuda()` chained on the container.
    let ctor = unparen(r);
    for (let f = field(ctor, 'function'); f && f.type === 'attribute' && field(f, 'object')?.type === 'call'; f = field(ctor, 'function')) ctor = field(f, 'object')!;
    const q = m.qualifiedName(field(ctor, 'function')!);
    if (q && LAYER_CONTAINERS.has(q)) built = true;
  });
  if (!built) return null;
  let target = field(loop, 'left');
  if (!target) return null;
  const right = unparen(field(loop, 'right')!);
  if (right.type === 'call') {
    // `for i, layer in enumerate(self.layers)`.
    if (target.type !== 'pattern_list' && target.type !== 'tuple_pattern' && target.type !== 'tuple') return null;
    target = namedChildren(target)[1] ?? null;
  }
  return target && target.type === 'identifier' ? m.textOf(target) : null;
}

/** An operation whose result carries no derivative to its input: argmax/argmin, rounding, a comparison, an integer cast. */
function zeroGradientOp(m: SemanticModel, node: PyNode | undefined): boolean {
  if (!node) return false;
  if (node.type === 'comparison_operator') return true;
  if (node.type !== 'call') return false;
  const c = m.call(node);
  if (!c) return false;
  if (c.qname) return TORCH_ZERO_GRAD_FUNCTIONS.has(c.qname);
  return !!c.method && !!c.receiver && ZERO_GRAD_METHODS.has(c.method);
}

/** The additive terms of a loss expression (see checkConstantLossTerm). */
function lossTerms(m: SemanticModel, expr: PyNode, depth: number, seen: Set<number>): PyNode[] {
  const u = unparen(expr);
  if (seen.has(u.id) || depth > 4) return [];
  seen.add(u.id);
  if (u.type === 'binary_operator') {
    const op = field(u, 'operator');
    const l = field(u, 'left');
    const r = field(u, 'right');
    const o = op ? m.textOf(op) : '';
    if (l && r && (o === '+' || o === '-')) return [...lossTerms(m, l, depth + 1, seen), ...lossTerms(m, r, depth + 1, seen)];
    if (l && r && (o === '*' || o === '/')) {
      // A weight times a term: `0.5 * aux`, `self.beta * dloss`, `aux / n`.
      const weight = (n: PyNode): boolean =>
        ['integer', 'float'].includes(unparen(n).type) || (unparen(n).type === 'attribute' && !/loss/i.test(m.textOf(n))) || numberName(m, unparen(n));
      if (weight(l)) return [r];
      if (o === '*' && weight(r)) return [l];
    }
    return [u];
  }
  if (u.type === 'identifier' && m.isUse(u)) {
    const bs = m.reachingBindings(u);
    if (bs.length === 0 || bs.some((b) => b.kind !== 'assign' && b.kind !== 'augassign')) return [u];
    const out: PyNode[] = [];
    for (const b of bs) {
      if (m.enclosingFunction(b.stmt) !== m.enclosingFunction(u)) return [u];
      const st = b.kind === 'augassign' ? b.value : null;
      const stOp = st ? field(st, 'operator') : null;
      if (st && (!stOp || !['+=', '-='].includes(m.textOf(stOp)))) return [u];
      const v = st ? field(st, 'right') : bindingValue(b);
      if (!v) return [u];
      // `loss = 0` before `loss += term` in a loop: a start value, not a term.
      if (b.kind === 'assign' && ['integer', 'float'].includes(unparen(v).type)) continue;
      out.push(...lossTerms(m, v, depth + 1, seen));
    }
    return out;
  }
  return [u];
}

/** A name that holds a number literal wherever it is read here: `lam = 0.5`, a parameter `weight=0.1`. */
function numberName(m: SemanticModel, n: PyNode): boolean {
  if (n.type !== 'identifier' || !m.isUse(n)) return false;
  const bs = m.reachingBindings(n);
  const numeric = (v: PyNode | null | undefined): boolean => !!v && ['integer', 'float'].includes(unparen(v).type);
  return (
    bs.length > 0 &&
    bs.every((b) => {
      if (b.kind === 'assign') return numeric(bindingValue(b));
      const p = b.target.parent;
      return !!b.param && b.param.star === 'none' && !!p && (p.type === 'default_parameter' || p.type === 'typed_default_parameter') && numeric(field(p, 'value'));
    })
  );
}

/** A random draw that carries no gradient: `torch.normal`/`bernoulli`... or a distribution's `.sample()`. */
function isDraw(ctx: RuleContext, node: PyNode): boolean {
  if (node.type !== 'call') return false;
  const c = ctx.model.call(node);
  return !!c && ((!!c.qname && TORCH_NONREPARAM_SAMPLERS.has(c.qname)) || (!!c.method && DISTRIBUTION_SAMPLE_METHODS.has(c.method)));
}

/** A TensorFlow optimizer (`tensorflow.ts`), with this file's analysis. */
function isTensorFlowOptimizer(ctx: RuleContext, receiver: PyNode): boolean {
  return isTfOptimizer(ctx.model, (n) => ctx.analysis.valueOf(n), receiver);
}

/** A `tf.Variable(...)` site or a TF1 functional layer's (`tf.layers.dense`): the origin of Variables' values. */
function isVariableSite(ctx: RuleContext, id: number): boolean {
  const n = ctx.tree.nodes[id];
  if (!n || n.type !== 'call') return false;
  const q = ctx.model.qualifiedName(n);
  return q !== null && (/^tensorflow\.(?:compat\.v1\.)?(?:Variable|get_variable)$/.test(q) || TF1_FUNCTIONAL_LAYERS.has(q));
}

const WEIGHT_LISTS = new Set(['trainable_variables', 'trainable_weights', 'variables', 'weights']);

/**
 * What an operation that cuts the gradient is, when it is one that has no gradient at all (rather than a
 * deliberate `stop_gradient` or a conversion, which other checks report): `tf.argmax`, a cast to an
 * integer, a comparison, a Keras `Lambda` of one of them. Null otherwise.
 */
export function noGradientOp(m: SemanticModel, node: PyNode): string | null {
  if (node.type === 'comparison_operator') {
    const p = node.parent?.type === 'argument_list' ? node.parent.parent : null;
    const q = p && p.type === 'call' ? m.qualifiedName(p) : null;
    const where = q !== null && /^tensorflow\.(?:where|where_v2|compat\.v1\.where)$|^tensorflow\.keras\.backend\.switch$/.test(q) && m.call(p!)?.positional[0] === node;
    return where ? `the condition \`${m.textOf(node)}\` of \`${m.textOf(field(p!, 'function')!)}\`` : `the comparison \`${m.textOf(node)}\``;
  }
  if (node.type !== 'call') return null;
  const c = m.call(node);
  if (!c) return null;
  const fn = field(node, 'function');
  const short = (q: string, n: PyNode | null): string => `\`${n ? m.textOf(n) : q}\``;
  if (c.qname && TF_NO_GRADIENT.has(c.qname)) return short(c.qname, fn);
  if (c.qname && TF_NUMPY_FUNCTIONS.has(c.qname)) return `${short(c.qname, fn)} (it runs NumPy)`;
  if (c.qname && TF_CASTS.has(c.qname)) return `${short(c.qname, fn)} to an integer type`;
  // `tf.Variable(model(x))`: a new Variable initialized with a copy of the value; the tape does not connect it to the value.
  if (c.qname === 'tensorflow.Variable') return `${short(c.qname, fn)} (a new Variable holding a copy of the value)`;
  // `Lambda(K.argmax, ...)(x)`: the layer applies an operation without a gradient.
  const inner = c.calleeCall;
  if (inner && inner.qname === 'tensorflow.keras.layers.Lambda' && inner.positional[0]) {
    const f = unparen(inner.positional[0]);
    const q = f.type === 'attribute' || f.type === 'identifier' ? m.qualifiedName(f) : null;
    if (q && (TF_NO_GRADIENT.has(q) || TF_CASTS.has(q))) return `the layer \`Lambda(${m.textOf(f)})\``;
    if (f.type === 'lambda') return `the layer \`${m.textOf(field(node, 'function') ?? node)}\``;
  }
  return null;
}

/**
 * Training in TensorFlow / Keras where the loss reaches the model only through an operation without a
 * gradient: every weight gets None, and `apply_gradients` / `fit` raises "No gradients provided for any
 * variable" (or "An operation has None for gradient").
 */
function checkTensorFlowTraining(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  const a = ctx.analysis;
  const report = (site: number, what: string, message: string, related: { node: PyNode; message: string }[]): void => {
    if (reported.has(site)) return;
    const node = ctx.tree.nodes[site];
    if (!node) return;
    reported.add(site);
    ctx.report({ node, message: `${what} ${message}`, related });
  };
  // (1) `tape.gradient(loss, model.trainable_variables)`.
  for (const d of a.events.derivatives) {
    if (d.spec.framework !== 'tensorflow' || !d.spec.outputs) continue;
    const w = weightsOf(ctx, d);
    if (!w) continue;
    const out = tensorOfValue(d.output);
    const live = new Set([...out.params, ...out.leaves]);
    if (w.origins.some((o) => live.has(o))) continue;
    for (const c of out.cuts) {
      if (!w.origins.includes(c.origin)) continue;
      const node = ctx.tree.nodes[c.site];
      const what = node ? noGradientOp(m, node) : null;
      if (!what) continue;
      report(
        c.site,
        what,
        `has no gradient, and the target of \`${calleeText(ctx, d.node)}\` (line ${ctx.lineOf(d.node)}) depends on \`${w.model}\` only through it: ` +
          `every gradient with respect to \`${w.model}.${w.list}\` is None ("No gradients provided for any variable"). ` +
          (node && node.type === 'call' && m.call(node)?.qname === 'tensorflow.Variable'
            ? 'Compute the loss from the model\'s output tensor itself: a Variable made from it is a new source to the tape, not a result of the model.'
            : 'Compute the loss from the model\'s continuous output (probabilities or logits) and keep argmax/rounding/thresholds for evaluation.'),
        [{ node: d.node, message: 'the gradient that comes back None' }],
      );
    }
  }
  // (1b) TF1 graph training: `tf.train.AdamOptimizer(lr).minimize(loss)` (also a Keras optimizer given a loss tensor)
  // differentiates the loss with respect to every trainable Variable: one that reaches the Variables only through an
  // operation without a gradient gives None for all of them, and `minimize` raises "No gradients provided for any variable".
  for (const c of m.calls) {
    if (c.method !== 'minimize' || !c.receiver || !isTensorFlowOptimizer(ctx, c.receiver)) continue;
    const lossArg = c.keywords.get('loss') ?? c.positional[0];
    const lv = lossArg ? a.valueOf(lossArg) : undefined;
    if (!lv || !lv.t || !isKind(lv, Kind.TENSOR) || isKind(lv, Kind.UNKNOWN)) continue;
    const t = tensorOfValue(lv);
    // Values of unknown origin (a parameter of a builder function, a placeholder fed elsewhere) are taken as data.
    if (t.params.length > 0) continue;
    const variables = new Set(t.cuts.map((k) => k.origin).filter((o) => isVariableSite(ctx, o)));
    if (variables.size === 0) continue;
    for (const k of t.cuts) {
      if (!variables.has(k.origin)) continue;
      const node = ctx.tree.nodes[k.site];
      const what = node ? noGradientOp(m, node) : null;
      if (!what) continue;
      report(
        k.site,
        what,
        `has no gradient, and the loss given to \`${calleeText(ctx, c.node)}\` (line ${ctx.lineOf(c.node)}) depends on the model's ` +
          'Variables only through it: every gradient is None, and `minimize` raises "No gradients provided for any variable". ' +
          'Compute the loss from the model\'s continuous output (probabilities or logits) and keep argmax/rounding/thresholds for evaluation.',
        [{ node: c.node, message: 'the loss is minimized here' }],
      );
    }
  }
  // (2) Keras losses, analysed with `y_pred` as the model's output.
  for (const k of a.events.kerasLosses) checkKerasLoss(ctx, k, report);
  // (3) A Keras layer fed with a value that reaches the layers before it only through an operation without a gradient.
  for (const c of m.calls) {
    const fn = field(c.node, 'function');
    const callee = fn ? a.valueOf(fn) : undefined;
    if (!callee || !callee.lib.some((q) => q.startsWith('tensorflow.keras.layers.')) || !c.positional[0]) continue;
    const input = a.valueOf(c.positional[0]);
    if (!input) continue;
    const t = tensorOfValue(input);
    const live = new Set([...t.params, ...t.leaves]);
    for (const cut of t.cuts) {
      if (live.has(cut.origin) || !isLayerSite(ctx, cut.origin)) continue;
      const node = ctx.tree.nodes[cut.site];
      const what = node ? noGradientOp(m, node) : null;
      if (!what) continue;
      report(
        cut.site,
        what,
        `has no gradient, and its output goes on into the layer \`${ctx.text(fn!)}\` (line ${ctx.lineOf(c.node)}): the layers before it ` +
          'get no gradient from anything after it, and Keras raises "An operation has None for gradient" when training. ' +
          'Keep a differentiable path (pass the probabilities on; take the argmax only for predictions).',
        [{ node: c.node, message: 'the result is used here' }],
      );
    }
  }
  // (4) A functional Keras model (`Model(inputs, outputs)`) compiled for training whose every output is made by an
  // operation without a gradient (a rounding layer, `Lambda` of argmax): no loss on it reaches the layers below.
  for (const c of m.calls) {
    if (c.method !== 'compile' || !c.receiver) continue;
    const mv = a.valueOf(c.receiver);
    if (!mv || !mv.lib.some((q) => q === 'tensorflow.keras.Model' || q === 'tensorflow.keras.models.Model')) continue;
    const site = mv.site >= 0 ? ctx.tree.nodes[mv.site] : undefined;
    const mc = site && site.type === 'call' ? m.call(site) : null;
    const outputs = mc ? (mc.keywords.get('outputs') ?? mc.positional[1]) : undefined;
    const ov = outputs ? a.valueOf(outputs) : undefined;
    if (!ov) continue;
    const outs = ov.items ?? [ov];
    const cutsOf = outs.map((o) => {
      const t = o.t ? tensorOfValue(o) : null;
      if (!t) return [];
      const live = new Set([...t.params, ...t.leaves]);
      if (t.params.some(isLayer)) return [];
      return t.cuts.filter((cut) => !live.has(cut.origin) && isLayerSite(ctx, cut.origin) && !!ctx.tree.nodes[cut.site] && noGradientOp(m, ctx.tree.nodes[cut.site]) !== null);
    });
    if (cutsOf.some((x) => x.length === 0)) continue;
    for (const cut of cutsOf.flat()) {
      const node = ctx.tree.nodes[cut.site];
      report(
        cut.site,
        noGradientOp(m, node)!,
        `has no gradient, and the output of the Keras model \`${ctx.text(c.receiver)}\` is made by it: the loss given to \`compile\` ` +
          `(line ${ctx.lineOf(c.node)}) reaches none of the layers below it, and training raises "No gradients provided for any variable" ` +
          '(Keras 2: "An operation has None for gradient"). Train on the continuous output (probabilities or logits) and apply the ' +
          'rounding or argmax only to predictions.',
        [{ node: c.node, message: 'the model is compiled for training here' }],
      );
    }
  }

  // (5) A `Sequential` (a list of layers, or `add()`) whose last layer has no gradient, and a subclassed `Model` whose
  // `call` returns only values without one, trained (`compile`/`fit`/`train_on_batch`) or differentiated under a tape.
  const trainings: { model: PyNode; at: PyNode; how: string }[] = [];
  for (const c of m.calls) {
    if (c.method && c.receiver && KERAS_TRAINING_METHODS.has(c.method)) trainings.push({ model: c.receiver, at: c.node, how: `\`${c.method}\`` });
  }
  for (const d of a.events.derivatives) {
    if (d.spec.framework !== 'tensorflow') continue;
    const call = m.call(d.node);
    const src = call && d.spec.inputs ? (call.keywords.get(d.spec.inputs) ?? call.positional[1]) : undefined;
    const s = src ? unparen(src) : null;
    const attr = s && s.type === 'attribute' ? field(s, 'attribute') : null;
    const obj = s && s.type === 'attribute' ? field(s, 'object') : null;
    if (attr && obj && WEIGHT_LISTS.has(ctx.text(attr))) trainings.push({ model: obj, at: d.node, how: `\`${calleeText(ctx, d.node)}\`` });
  }
  for (const tr of trainings) {
    const mv = a.valueOf(tr.model);
    if (!mv) continue;
    const found = isKerasSequential(mv) ? sequentialOutputCut(ctx, mv) : kerasModelCallCut(ctx, mv);
    if (!found) continue;
    report(
      found.op.id,
      found.what,
      `has no gradient, and it makes the output of the Keras model \`${ctx.text(tr.model)}\`${found.where}: the loss trained with ${tr.how} (line ${ctx.lineOf(tr.at)}) ` +
        'reaches none of the layers below it, and training raises "No gradients provided for any variable" (Keras 2: "An operation has ' +
        'None for gradient"). Train on the continuous output (probabilities or logits) and apply the rounding, threshold or argmax only ' +
        'to predictions (a straight-through estimator, `x + tf.stop_gradient(tf.round(x) - x)`, if the rounding must stay in training).',
      [...(found.related ? [{ node: found.related, message: 'the layer is the model\'s last here' }] : []), { node: tr.at, message: 'the model is trained here' }],
    );
  }

  function isLayer(id: number): boolean {
    return isLayerSite(ctx, id);
  }
}

/** Calls that train a Keras model on a loss. */
const KERAS_TRAINING_METHODS = new Set(['compile', 'fit', 'fit_generator', 'train_on_batch']);

interface OutputCut {
  /** The operation without a gradient (or the `Lambda` layer applying one). */
  op: PyNode;
  what: string;
  /** ` (its last layer, \`Round()\`)`: how the operation makes the output. */
  where: string;
  related: PyNode | null;
}

function isKerasSequential(v: AV): boolean {
  return v.lib.some((q) => q === 'tensorflow.keras.Sequential' || q === 'tensorflow.keras.models.Sequential');
}

/** A `Sequential`'s last layer (the list's last item, or the last `add()` by position) when it has no gradient. */
function sequentialOutputCut(ctx: RuleContext, mv: AV): OutputCut | null {
  const m = ctx.model;
  const site = mv.site >= 0 ? ctx.tree.nodes[mv.site] : undefined;
  if (!site || site.type !== 'call') return null;
  const sc = m.call(site);
  let last: { layer: PyNode; at: PyNode } | null = null;
  const l0 = sc ? (sc.positional[0] ?? sc.keywords.get('layers')) : undefined;
  if (l0 && unparen(l0).type === 'list') {
    const items = namedChildren(unparen(l0));
    const item = items[items.length - 1];
    if (item) last = { layer: item, at: item };
  }
  for (const c of m.calls) {
    if (c.method !== 'add' || !c.receiver || c.positional.length !== 1) continue;
    if (ctx.analysis.valueOf(c.receiver)?.site !== mv.site) continue;
    if (!last || c.node.start > last.at.start) last = { layer: c.positional[0], at: c.node };
  }
  if (!last) return null;
  const cut = layerCut(ctx, last.layer);
  return cut ? { ...cut, where: ` (its last layer, \`${ctx.text(last.layer).replace(/\s+/g, ' ')}\`)`, related: cut.op === last.layer ? null : last.at } : null;
}

/** A subclassed Keras `Model` whose `call` returns only values without a gradient. */
function kerasModelCallCut(ctx: RuleContext, mv: AV): OutputCut | null {
  if (!isKind(mv, Kind.INST)) return null;
  for (const cls of mv.classes) {
    if (!classBases(cls).some((q) => q === 'tensorflow.keras.Model' || q === 'tensorflow.keras.models.Model')) continue;
    const fn = cls.methods.get('call');
    const op = fn ? returnsWithoutGradient(ctx, fn) : null;
    if (op) return { op, what: noGradientOp(ctx.model, op) ?? `\`${ctx.text(op)}\``, where: ` (\`${cls.name}.call\` returns it)`, related: null };
  }
  return null;
}

function classBases(cls: ClassRef): string[] {
  return [...cls.libBases, ...cls.bases.flatMap((b) => classBases(b))];
}

/** A Keras layer expression without a gradient: `Lambda(K.round)`, `Lambda(lambda x: ...)`, a subclassed Layer whose `call` rounds. */
function layerCut(ctx: RuleContext, layerExpr: PyNode, depth = 0): { op: PyNode; what: string } | null {
  const m = ctx.model;
  const e = unparen(layerExpr);
  if (depth > 3) return null;
  if (e.type === 'identifier') {
    const bs = m.reachingBindings(e).filter((b) => b.kind === 'assign');
    const v = bs.length === 1 ? bindingValue(bs[0]) : null;
    return v ? layerCut(ctx, v, depth + 1) : null;
  }
  if (e.type !== 'call') return null;
  const c = m.call(e);
  if (!c) return null;
  if (c.qname === 'tensorflow.keras.layers.Lambda') {
    const f0 = c.positional[0] ?? c.keywords.get('function');
    const f = f0 ? unparen(f0) : null;
    if (!f) return null;
    const q = f.type === 'attribute' || f.type === 'identifier' ? m.qualifiedName(f) : null;
    if (q && TF_NO_GRADIENT.has(q)) return { op: e, what: `the layer \`Lambda(${ctx.text(f)})\`` };
    if (f.type === 'lambda') {
      const body = field(f, 'body');
      const op = body ? withoutGradient(ctx, body) : null;
      return op ? { op, what: noGradientOp(m, op) ?? `\`${ctx.text(op)}\`` } : null;
    }
    const fv = ctx.analysis.valueOf(f);
    for (const fr of fv?.fns ?? []) {
      const op = returnsWithoutGradient(ctx, fr.node);
      if (op) return { op, what: noGradientOp(m, op) ?? `\`${ctx.text(op)}\`` };
    }
    return null;
  }
  const v = ctx.analysis.valueOf(e);
  if (!v || !isKind(v, Kind.INST)) return null;
  for (const cls of v.classes) {
    if (!classBases(cls).some((q) => q.startsWith('tensorflow.keras.layers.') || q === 'tensorflow.keras.Layer')) continue;
    // `call` (Keras 1 and later) or `get_output` (Keras 0.x) is the layer's forward computation.
    const fn = cls.methods.get('call') ?? cls.methods.get('get_output');
    const op = fn ? returnsWithoutGradient(ctx, fn) : null;
    if (op) return { op, what: noGradientOp(m, op) ?? `\`${ctx.text(op)}\`` };
  }
  return null;
}

/**
 * The first operation without a gradient when every `return` of the function gives a value made by one (a
 * rounding, a comparison, an argmax, a cast of one), else null. A `tf.custom_gradient` function defines its
 * own gradient and is never one.
 */
function returnsWithoutGradient(ctx: RuleContext, fn: PyNode): PyNode | null {
  const dec = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  if (dec && /custom_gradient/.test(namedChildren(dec).filter((d) => d.type === 'decorator').map((d) => ctx.text(d)).join(' '))) return null;
  const body = field(fn, 'body');
  if (!body) return null;
  const returns: PyNode[] = [];
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'return_statement') returns.push(n);
  });
  if (returns.length === 0) return null;
  let first: PyNode | null = null;
  for (const r of returns) {
    const v = namedChildren(r)[0];
    const op = v ? withoutGradient(ctx, v) : null;
    if (!op) return null;
    first ??= op;
  }
  return first;
}

const INT_DTYPE = /^(?:(?:tf|tensorflow|np|numpy)\.)?(?:u?int(?:8|16|32|64)|bool)$|^['"](?:u?int(?:8|16|32|64)|bool)['"]$/;

/** The operation without a gradient that makes this value (through local names), or null when it may have one. */
function withoutGradient(ctx: RuleContext, expr: PyNode, depth = 0): PyNode | null {
  const m = ctx.model;
  const e = unparen(expr);
  if (depth > 4) return null;
  if (e.type === 'identifier') {
    const bs = m.reachingBindings(e);
    if (bs.length === 0 || bs.some((b) => b.kind !== 'assign')) return null;
    let first: PyNode | null = null;
    for (const b of bs) {
      const v = bindingValue(b);
      const op = v ? withoutGradient(ctx, v, depth + 1) : null;
      if (!op) return null;
      first ??= op;
    }
    return first;
  }
  if (e.type === 'comparison_operator') return e;
  if (e.type !== 'call') return null;
  const c = m.call(e);
  if (!c?.qname) return null;
  if (TF_NO_GRADIENT.has(c.qname) || TF_NUMPY_FUNCTIONS.has(c.qname)) return e;
  if (TF_CASTS.has(c.qname) && c.positional[0]) {
    const inner = withoutGradient(ctx, c.positional[0], depth + 1);
    if (inner) return inner;
    const dt = c.keywords.get('dtype') ?? c.positional[1];
    return dt && INT_DTYPE.test(ctx.text(dt)) ? e : null;
  }
  return null;
}

function checkKerasLoss(ctx: RuleContext, k: KerasLossEvent, report: (site: number, what: string, message: string, related: { node: PyNode; message: string }[]) => void): void {
  const m = ctx.model;
  const info = m.functionOf(k.fn);
  if (!info) return;
  const yPred = info.params.find((p) => p.target.id === k.yPred)?.name ?? 'y_pred';
  // A method is named with its class (`HitRateLoss.call`).
  let cls: PyNode | null = null;
  for (let p = k.fn.parent; p && !cls; p = p.parent) if (p.type === 'class_definition') cls = p;
  const clsName = cls ? field(cls, 'name') : null;
  const lossName = info.isMethod && clsName ? `${ctx.text(clsName)}.${info.name}` : info.name;
  // A loss quoted without its `return` (trimmed): what it computes from the prediction, in every assignment of its body,
  // stands for its result.
  const t = info.returns.length === 0 ? tensorOfValue(assignedValues(ctx, k.fn)) : tensorOfValue(k.result);
  if (t.params.includes(k.yPred) || t.leaves.includes(k.yPred)) return;
  const cuts = t.cuts.filter((c) => c.origin === k.yPred);
  const related = k.compile ? [{ node: k.compile, message: 'Keras trains the model with this loss' }] : [];
  let numpyShown = false;
  for (const c of [...cuts].sort((x, y) => x.site - y.site)) {
    const node = ctx.tree.nodes[c.site];
    const what = node ? noGradientOp(m, node) : null;
    // Only for a loss visibly given to `compile`: a function merely named like a loss may be a NumPy metric too.
    const numpy = !what && node && k.compile ? numpyOnSymbolic(m, node) : null;
    if (numpy) {
      // One finding per loss: each NumPy call of `y_pred` fails the same way.
      if (numpyShown) continue;
      numpyShown = true;
      report(
        c.site,
        numpy,
        `converts \`${yPred}\`, a TensorFlow tensor, to NumPy inside the Keras loss \`${lossName}\`: Keras traces the loss into a graph, ` +
          'where the tensor has no value to convert ("Cannot convert a symbolic Tensor to a numpy array"), and run eagerly the result ' +
          'is a NumPy value with no gradient to the model ("No gradients provided for any variable"). Compute the loss with ' +
          'TensorFlow operations (`tf.math`, `tf.clip_by_value`, `keras.backend`) on the tensor.',
        related,
      );
      continue;
    }
    if (!what) continue;
    report(
      c.site,
      what,
      `has no gradient, and the loss \`${lossName}\` depends on \`${yPred}\` only through it: no gradient reaches the model, and ` +
        'training raises "No gradients provided for any variable". Compute the loss from the continuous prediction ' +
        '(a sigmoid/softmax output, a soft Dice or cross-entropy) and threshold only when evaluating.',
      related,
    );
  }
  if (cuts.length > 0 || !k.model || t.params.length === 0 || info.returns.length === 0) return;
  // `y_pred` not used at all, but trainable layers are (a hidden layer closed over): the layers after them get None.
  const modelParams = [...new Set([...tensorOfValue(k.model).params, ...(k.model.mod?.params ?? [])])];
  const missing = modelParams.filter((p) => !t.params.includes(p) && p !== k.model!.site && isLayerSite(ctx, p));
  if (missing.length === 0) return;
  const layer = ctx.tree.nodes[missing[0]];
  const ret = info.returns[0];
  report(
    ret.id,
    `\`${info.name}\``,
    `never uses \`${yPred}\`: the loss is computed from other tensors of the model, so the layers between them and the output ` +
      `(\`${layer ? ctx.text(layer).split('\n')[0] : 'the last layer'}\`${layer ? `, line ${ctx.lineOf(layer)}` : ''}) get no gradient, and Keras raises ` +
      '"An operation has None for gradient" (TensorFlow 2 warns "Gradients do not exist for variables"). Compute the loss ' +
      `from \`${yPred}\`, or freeze the layers the loss does not reach (\`trainable=False\`).`,
    related,
  );
}

/** The join of the values a function's own assignments bind (nested functions and classes left out). */
function assignedValues(ctx: RuleContext, fn: PyNode): AV {
  let acc: AV = BOTTOM;
  const body = field(fn, 'body');
  if (!body) return acc;
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const r = field(n, 'right');
      const v = r ? ctx.analysis.valueOf(r) : undefined;
      if (v && v.t) acc = join(acc, v);
    }
  });
  return acc;
}

/** NumPy functions that only read a shape or a dtype: they accept a symbolic tensor. */
const NUMPY_STATIC = new Set(['shape', 'ndim', 'size', 'result_type', 'dtype', 'iinfo', 'finfo', 'issubdtype', 'isscalar', 'promote_types', 'float32', 'float64', 'int32', 'int64']);

/**
 * A NumPy, SciPy or `.numpy()` conversion of a Keras loss's tensor (described), or null: a compiled Keras loss runs on
 * symbolic tensors, which NumPy cannot read.
 */
function numpyOnSymbolic(m: SemanticModel, node: PyNode): string | null {
  if (node.type !== 'call') return null;
  const c = m.call(node);
  if (!c) return null;
  if (c.method === 'numpy' && c.receiver && c.positional.length === 0) return '`.numpy()`';
  const q = c.qname;
  if (!q) return null;
  const m1 = /^(numpy|scipy)\.(?:.*\.)?(\w+)$/.exec(q);
  if (!m1 || NUMPY_STATIC.has(m1[2])) return null;
  return `${m1[1] === 'numpy' ? 'NumPy' : 'SciPy'} \`${m.textOf(field(node, 'function') ?? node)}\``;
}

/** A site that stands for trainable weights: a layer or model call (not a Variable or a parameter origin). */
function isLayerSite(ctx: RuleContext, id: number): boolean {
  const n = ctx.tree.nodes[id];
  return !!n && n.type === 'call';
}

/** `tape.gradient(loss, model.trainable_variables)`: the model, and the origins its weights stand for. */
function weightsOf(ctx: RuleContext, d: DerivativeEvent): { model: string; list: string; origins: number[] } | null {
  const m = ctx.model;
  const call = m.call(d.node);
  const src = call && d.spec.inputs ? (call.keywords.get(d.spec.inputs) ?? call.positional[1]) : undefined;
  const s = src ? unparen(src) : null;
  if (!s || s.type !== 'attribute') return null;
  const attr = field(s, 'attribute');
  const obj = field(s, 'object');
  if (!attr || !obj || !WEIGHT_LISTS.has(ctx.text(attr))) return null;
  const model = ctx.text(obj);
  const origins = new Set<number>();
  const v = ctx.analysis.valueOf(s);
  const elem = v?.elem?.t ?? v?.t;
  for (const p of elem?.params ?? []) origins.add(p);
  // Calls of the model (`model(x)`): each is an origin of its weights.
  for (const c of ctx.analysis.events.modelCalls) {
    const f = field(c.node, 'function');
    if (f && ctx.text(f) === model) origins.add(c.node.id);
  }
  return origins.size > 0 ? { model, list: ctx.text(attr), origins: [...origins] } : null;
}

/** The origins (leaf marking sites, Variable or watch sites) of the values differentiated against. */
function originsOf(v: AV): number[] {
  const out: number[] = [];
  const go = (x: AV): void => {
    if (x.items) x.items.forEach(go);
    else if (x.t) {
      if (x.t.leafOf !== null) out.push(x.t.leafOf);
      else if (x.t.variable) out.push(...x.t.params);
    }
  };
  go(v);
  return out;
}

function calleeText(ctx: RuleContext, node: PyNode): string {
  const fn = field(node, 'function');
  return fn ? ctx.text(fn) : 'the derivative';
}

function fixesFor(ctx: RuleContext, node: PyNode): Fix[] {
  const m = ctx.model;
  if (node.type !== 'call') return [];
  const c = m.call(node);
  const fn = field(node, 'function');
  const torch = m.moduleAlias('torch');
  if (!c || !c.qname || !fn || !torch) return [];
  const [mod, name] = [c.qname.slice(0, c.qname.lastIndexOf('.')), c.qname.slice(c.qname.lastIndexOf('.') + 1)];
  if (mod === 'math' && MATH_TO_TORCH.has(name)) {
    return [{ title: `Use ${torch}.${name} (keeps the graph)`, safe: true, edits: [ctx.replace(fn, `${torch}.${name}`)] }];
  }
  if (mod === 'numpy' && NUMPY_TO_TORCH.has(name)) {
    return [{ title: `Use ${torch}.${name} instead of NumPy (result becomes a tensor)`, safe: false, edits: [ctx.replace(fn, `${torch}.${name}`)] }];
  }
  return [];
}

/** The enclosing class definition of a node, or null. */
function enclosingClassNode(node: PyNode): PyNode | null {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'class_definition') return n;
  return null;
}

/**
 * Whether `expr` is computed from a node `pred` accepts, read backward through plain assignments, `self.attr` stores
 * of the same class (`self.a = tf.stop_gradient(a)` then `self._build_net(S, self.a)`), and the arguments of any call
 * (a call's result is taken to depend on all its arguments). `stop` ends the descent below a node. Null when not.
 */
function tfDerivesFrom(m: SemanticModel, expr: PyNode, pred: (n: PyNode) => boolean, stop: (n: PyNode) => boolean): PyNode | null {
  const seen = new Set<number>();
  let found: PyNode | null = null;
  let budget = 4000;
  const go = (node: PyNode, depth: number): void => {
    if (found || seen.has(node.id) || depth > 24 || --budget < 0) return;
    seen.add(node.id);
    if (pred(node)) {
      found = node;
      return;
    }
    if (stop(node) || node.type === 'lambda' || node.type === 'function_definition') return;
    const u = node;
    if (u.type === 'identifier' && m.isUse(u)) {
      for (const b of m.reachingBindings(u)) {
        const v = b.kind === 'assign' || b.kind === 'augassign' ? bindingValue(b) : null;
        if (v) go(v, depth + 1);
      }
      return;
    }
    if (u.type === 'attribute') {
      const obj = field(u, 'object');
      const attr = field(u, 'attribute');
      // `self.x`: the values stored to `self.x` in the methods of the same class.
      if (obj && attr && obj.type === 'identifier' && m.textOf(obj) === 'self') {
        const cls = enclosingClassNode(u);
        for (const mu of m.mutations) {
          if (mu.kind !== 'attribute' || mu.attr !== m.textOf(attr) || mu.name !== 'self' || enclosingClassNode(mu.target) !== cls) continue;
          go(mu.value, depth + 1);
        }
        return;
      }
    }
    for (const child of u.children) if (child.named && child.field !== 'attribute' && child.field !== 'name') go(child, depth);
  };
  go(expr, 0);
  return found;
}

/**
 * `tf.gradients(ys, xs)` / `tape.gradient(ys, xs)` where `ys` reaches the source `xs` only through `tf.stop_gradient(xs)`:
 * DDPG's critic built on `self.a = tf.stop_gradient(a)` and differentiated with respect to `a` (the gradient is None,
 * and the actor's `tf.gradients(..., grad_ys=None)` silently falls back to ones). Read from the text, so that a source
 * whose value the analysis does not know (a constructor argument, another network's output) is judged too.
 */
function checkTensorFlowStopGradientSource(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  const isStop = (n: PyNode): boolean => n.type === 'call' && TF_STOP_GRADIENT.has(m.call(n)?.qname ?? '');
  if (!m.calls.some((c) => TF_STOP_GRADIENT.has(c.qname ?? ''))) return;
  const uses: { call: CallInfo; target: PyNode; sources: PyNode[] }[] = [];
  for (const c of m.calls) {
    if (c.qname !== 'tensorflow.gradients' && c.qname !== 'tensorflow.compat.v1.gradients') continue;
    if (c.hasStarArgs || c.hasKwargs) continue;
    const ys = c.keywords.get('ys') ?? c.positional[0];
    const xs = c.keywords.get('xs') ?? c.positional[1];
    if (!ys || !xs) continue;
    // `stop_gradients=` (a deliberate partial derivative) and `grad_ys` do not change what is connected; keep it simple.
    uses.push({ call: c, target: ys, sources: [xs] });
  }
  for (const t of findTapes(m)) {
    for (const u of t.uses) {
      if (u.hasStarArgs || u.hasKwargs) continue;
      const ys = u.keywords.get('target') ?? u.positional[0];
      const xs = u.keywords.get('sources') ?? u.positional[1];
      if (ys && xs) uses.push({ call: u, target: ys, sources: [xs] });
    }
  }
  for (const { call, target, sources } of uses) {
    for (const x0 of sources) {
      const x = unparen(x0);
      let isSource: ((n: PyNode) => boolean) | null = null;
      if (x.type === 'identifier' && m.isUse(x)) {
        const bs = new Set(m.reachingBindings(x));
        if (bs.size === 0) continue;
        isSource = (n) => n.type === 'identifier' && m.isUse(n) && m.reachingBindings(n).some((b) => bs.has(b));
      } else if (x.type === 'attribute' && m.textOf(field(x, 'object') ?? x) === 'self') {
        const text = m.textOf(x);
        const cls = enclosingClassNode(x);
        isSource = (n) => n.type === 'attribute' && m.textOf(n) === text && enclosingClassNode(n) === cls;
      }
      if (!isSource) continue;
      const src = isSource;
      // A path from the source to the target that avoids every stop_gradient: the gradient is not None.
      if (tfDerivesFrom(m, target, src, isStop)) continue;
      const cut = tfDerivesFrom(m, target, (n) => isStop(n) && !!m.call(n)?.positional[0] && !!tfDerivesFrom(m, m.call(n)!.positional[0], src, isStop), () => false);
      if (!cut || reported.has(cut.id)) continue;
      reported.add(cut.id);
      const fn = field(call.node, 'function');
      ctx.report({
        node: cut,
        message:
          `\`${ctx.text(target)}\` depends on \`${ctx.text(x)}\` only through \`${ctx.text(cut)}\`, so \`${fn ? ctx.text(fn) : 'gradient'}(...)\` ` +
          `on line ${ctx.lineOf(call.node)} returns None for \`${ctx.text(x)}\` (ops behind \`stop_gradient\` are not differentiated). ` +
          'Differentiate with respect to the stopped tensor itself (the value the target was computed from), or do not stop the gradient there.',
        related: [{ node: call.node, message: 'the derivative that comes back None' }],
      });
    }
  }
}

const STOP_FUNCTIONS = new Set([...TF_STOP_GRADIENT, 'jax.lax.stop_gradient']);
const CHOICE_FUNCTIONS = new Set(['jax.lax.select', 'jax.numpy.where', 'tensorflow.where', 'tensorflow.compat.v1.where', 'tensorflow.compat.v2.where', 'torch.where']);

/** The value a stop is applied to: `x` of `stop_gradient(x)` / `x.detach()`; null when `n` is not a stop. */
function stoppedOperand(m: SemanticModel, n: PyNode): PyNode | null {
  const u = unparen(n);
  if (u.type !== 'call') return null;
  const c = m.call(u);
  if (!c || c.hasStarArgs || c.hasKwargs) return null;
  if (c.qname && STOP_FUNCTIONS.has(c.qname) && c.positional.length === 1) return unparen(c.positional[0]);
  if (c.method === 'detach' && c.receiver && !c.qname && c.positional.length === 0) return unparen(c.receiver);
  return null;
}

/**
 * `x = stop_gradient(x)` and then `select(flag, stop_gradient(x), x)` (or `jnp.where`, `tf.where`, `x.detach() if flag
 * else x`): a choice meant to let gradients through when the flag says so, made of a value already stopped on every path
 * that reaches it. Both branches are cut, the flag changes nothing, and no gradient ever reaches what `x` was computed
 * from. Reported at the unconditional stop.
 */
function stopBeforeChoice(ctx: RuleContext): void {
  const m = ctx.model;
  const branchesOf = (n: PyNode): { cond: PyNode; a: PyNode; b: PyNode } | null => {
    if (n.type === 'conditional_expression') {
      const parts = namedChildren(n);
      return parts.length === 3 ? { a: parts[0], cond: parts[1], b: parts[2] } : null;
    }
    if (n.type !== 'call') return null;
    const c = m.call(n);
    if (!c || !c.qname || !CHOICE_FUNCTIONS.has(c.qname) || c.positional.length !== 3 || c.hasStarArgs || c.hasKwargs) return null;
    return { cond: c.positional[0], a: c.positional[1], b: c.positional[2] };
  };
  const done = new Set<number>();
  for (const n of nodesOfTypes(ctx.tree, 'call', 'conditional_expression')) {
    const br = branchesOf(n);
    if (!br) continue;
    for (const [stopped, plain] of [[br.a, br.b], [br.b, br.a]] as const) {
      const inner = stoppedOperand(m, stopped);
      const p = unparen(plain);
      if (!inner || inner.type !== 'identifier' || p.type !== 'identifier' || m.textOf(inner) !== m.textOf(p) || !m.isUse(p)) continue;
      const bs = m.reachingBindings(p);
      if (bs.length === 0 || !bs.every((b) => b.kind === 'assign' && b.path.length === 0 && !!b.value && stoppedOperand(m, b.value) !== null)) continue;
      const stop = unparen(bs[bs.length - 1].value!);
      if (done.has(stop.id)) continue;
      done.add(stop.id);
      ctx.report({
        node: stop,
        message:
          `\`${m.textOf(p)}\` is cut here (\`${ctx.text(stop).replace(/\s+/g, ' ').slice(0, 50)}\`) on every path, before the choice on ` +
          `\`${ctx.text(br.cond).replace(/\s+/g, ' ').slice(0, 40)}\` (line ${ctx.lineOf(n)}) between stopping it and not: both branches are ` +
          'stopped, so the flag changes nothing and no gradient ever reaches what it was computed from. Remove the unconditional ' +
          'stop and let the choice decide.',
        related: [{ node: n, message: 'the choice that was meant to decide' }],
      });
    }
  }
}
