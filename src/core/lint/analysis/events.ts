/**
 * What the autograd analysis records while it runs over a file: the places where something happens to
 * autograd (a derivative is taken, a loss is trained, a leaf is made, a `.grad` is read, a tensor is
 * changed in place), each with the abstract values involved. Rules read these; they never walk the tree
 * to find them. An event is recorded once per site; when a site is analysed in several calling contexts
 * or loop rounds, its values are joined (they say what may hold on some run).
 */
import type { DerivativeSpec } from '../knowledge/torch';
import type { PyNode } from '../tree';
import type { AV, TensorFacts } from './values';

/** Whether autograd records where an event happens. */
export interface Recording {
  mode: 'on' | 'off' | 'inference' | 'unknown';
  /** The `no_grad`/`inference_mode`/`set_grad_enabled` site (a `with` item, a decorator, a hook), or null. */
  site: PyNode | null;
  /** Why (for messages): "torch.no_grad()", "Lightning's test_step (inference mode)". */
  why: string;
  /**
   * The loop whose previous round left recording off (a `torch.set_grad_enabled(False)` statement in the body, or in
   * a helper it calls, that nothing switches back before the next round), when that is why it is off here.
   */
  loop?: PyNode;
}

export type Tri = true | false | null;

export interface DerivativeEvent {
  node: PyNode;
  /** Qualified name of the API (`torch.autograd.grad`, `tensorflow.GradientTape.gradient`, `jax.grad`). */
  api: string;
  spec: DerivativeSpec;
  /** The differentiated output (for `grad(outputs, ...)`), or the function's result on the inputs. */
  output: AV;
  /** The differentiated function, for functional APIs. */
  func: AV | null;
  /** The value differentiated against (a tensor, or a tuple/list of them). */
  inputs: AV;
  /** `grad_outputs`/`v`: 'absent', or the value. */
  gradOutputs: AV | 'absent' | 'unknown';
  createGraph: Tri;
  retainGraph: Tri;
  recording: Recording;
  /**
   * The output joined over the calling contexts where recording was off (`no_grad`, inference mode), or
   * undefined when it was on in every one: a helper called from a training loop and from a `no_grad`
   * evaluation keeps, in `output`, the graph of the first, which must not hide the second.
   */
  offOutput?: AV;
  /** The value the call returns. */
  result: AV;
  /** For a tape's `gradient`: the tape's site; tapes recording at the call (nested tapes). */
  tape: number | null;
  /**
   * Meant as per-sample derivatives of a batch: the sum trick (`grad(y.sum(), x)`), `grad_outputs` of
   * ones, or a `torch.func`/`jax` transform mapped over the batch by `vmap`.
   */
  perSample: boolean;
  /** The enclosing function node, or null at module level. */
  fn: PyNode | null;
  /** Innermost enclosing loop, or null. */
  loop: PyNode | null;
  /**
   * For a transform applied (`jax.grad(f)(x)`, `df = diff(f); df(x)`): the node id of the transform call that made
   * the differentiating function, when every context saw the same one; null otherwise.
   */
  transform?: number | null;
  /** For a transform applied: whether some context applied it inside a `vmap` (shapes are then per sample). */
  mapped?: boolean;
}

/** A place where a value is trained into the parameters: `loss.backward()`, `grad(loss, params)`, a training hook's return. */
export interface SinkEvent {
  node: PyNode;
  kind: 'backward' | 'param-grad' | 'training-hook' | 'optimizer-closure' | 'tape-gradient' | 'loss-call' | 'loss-variable' | 'loss-return';
  value: AV;
  /** Human description for messages ("`.backward()`", "the loss `loss_fn(...)`"). */
  what: string;
  fn: PyNode | null;
}

/** `backward()` / `torch.autograd.backward(...)`. */
export interface BackwardEvent {
  node: PyNode;
  target: AV;
  createGraph: Tri;
  retainGraph: Tri;
  /** `inputs=` given (only those leaves accumulate). */
  hasInputs: boolean;
  recording: Recording;
  /** The target joined over the contexts where recording was off (see `DerivativeEvent.offOutput`). */
  offTarget?: AV;
  fn: PyNode | null;
  loop: PyNode | null;
}

/** A tensor made to require grad: `x.requires_grad_()`, `x.requires_grad = True`, `torch.tensor(..., requires_grad=True)`. */
export interface LeafEvent {
  /** The marking site (also the leaf's id in `TensorFacts.leaves`/`leafOf`). */
  node: PyNode;
  kind: 'method' | 'attribute' | 'factory';
  /** The value before it was marked (in the first calling context and loop round that reached the site). */
  before: AV;
  /**
   * The value before it was marked, joined over every calling context and loop round: what the tensor may
   * be when the flag is set (a loop that writes a requires-grad tensor back into the batch it slices makes
   * the next slice a non-leaf).
   */
  beforeAny: AV;
  /** The receiver / target expression (`x` in `x.requires_grad_()`), or the factory call. */
  target: PyNode;
  recording: Recording;
  fn: PyNode | null;
}

/** `x.grad` read. */
export interface GradReadEvent {
  node: PyNode;
  /** The value of `x`. */
  owner: AV;
  /** Backward sites that may have filled the buffer since it was last zeroed (more than one: accumulated). */
  fills: readonly number[];
  /** The buffer was visibly zeroed (or set to None) since the last backward on some path. */
  zeroed: boolean;
  /** A backward happened in the same loop iteration before this read, and another on the back edge. */
  accumulated: boolean;
  fn: PyNode | null;
  loop: PyNode | null;
  /** The value read. */
  value: AV;
}

/** An in-place change of a tensor: `x += 1`, `x.add_(...)`, `x[0] = v`. */
export interface InplaceEvent {
  node: PyNode;
  op: string;
  target: AV;
  /** The target expression (`x`). */
  expr: PyNode;
  recording: Recording;
  fn: PyNode | null;
}

/** A call of something that can be called like a model. */
export interface ModelCallEvent {
  node: PyNode;
  callee: AV;
  args: readonly AV[];
  result: AV;
  recording: Recording;
  fn: PyNode | null;
}

/**
 * A call of a library object that differentiates the model it wraps inside the call (DIFFERENTIATES_INSIDE: a
 * gradient-based attack's `perturb`, a Grad-CAM called on an input), with the grad mode where it is called.
 */
export interface LibraryDerivativeEvent {
  node: PyNode;
  library: string;
  why: string;
  /** The method called (`__call__` for the object called). */
  method: string;
  recording: Recording;
  fn: PyNode | null;
}

/**
 * A use that needs its tensor to require grad, other than a derivative: `t.retain_grad()` and `t.register_hook(f)`
 * raise on a tensor that does not, and `assert t.requires_grad` fails.
 */
export interface NeedsGraphEvent {
  node: PyNode;
  what: 'retain_grad' | 'register_hook' | 'assert';
  value: AV;
  recording: Recording;
  /** The value joined over the contexts where recording was off (see `DerivativeEvent.offOutput`). */
  offValue?: AV;
  fn: PyNode | null;
}

/** A library call whose result has no graph by design (a Captum attribution: GRAPHLESS_RESULTS). */
export interface GraphlessEvent {
  node: PyNode;
  /** The library (`Captum`) and why its result has no graph. */
  library: string;
  why: string;
}

/** A tensor converted to NumPy or Python (`.numpy()`, `np.array(t)`, `float(t)`, `model.predict`). */
export interface ConversionEvent {
  node: PyNode;
  value: AV;
  /** TensorFlow tapes recording where the conversion happens. */
  tapes: readonly number[];
  what: string;
}

/** A second `gradient()`/`jacobian()` call on a tape that is not persistent. */
export interface TapeReuseEvent {
  node: PyNode;
  tape: number;
  earlier: readonly number[];
  fn: PyNode | null;
}

/** `torch.where` / `jnp.where` / `tf.where` with a branch whose gradient can be NaN or inf where it is not selected. */
export interface WhereEvent {
  node: PyNode;
  /** The risky operations in the unselected-able branches (sites). */
  risky: readonly number[];
  /** Those of them applied to a tensor holding a literal infinity (`cos(x)` with `x = torch.tensor([0.0, math.inf])`). */
  atInf: readonly number[];
  fn: PyNode | null;
  /**
   * Set when `node` is not a `where` but a guard applied to the risky operation's input that maps the values it
   * excludes onto the operation's singular point (`sqrt(clamp(x, min=0))`, `acos(clamp(c, -1, 1))`): `'zero'` or
   * `'unit'` (±1); `'diagonal'` when `node` is the operation itself, applied to a pairwise difference of a tensor with
   * itself (0 on the diagonal); `'cosine'` when `node` is a square root of `1 - c ** 2` with `c` a cosine (a product
   * of normalized vectors), 0 where `|c|` reaches 1. Reported when the operation's result is differentiated (its
   * `risky` facet); `'other'` when `node` is a `where` guarding a divisor that tests the numerator instead and keeps
   * another value (`n / where(n == 0, 1, d)`: the division is by 0 where `d` is), reported in any function; `'nan'`
   * when `node` multiplies data holding a literal NaN by a differentiated value (`L(x)` with trainable weights, `k * x`):
   * the other factor's derivative is that data, NaN whatever is selected afterwards, reported when differentiated.
   */
  onto?: 'zero' | 'unit' | 'diagonal' | 'cosine' | 'other' | 'nan';
  /**
   * The mistake shows without a derivative in view: `nan_to_num` replacing the infinite values of a division,
   * square root, logarithm or norm says those values occur (`jnp.nan_to_num(q / r, posinf=0.0)`), and the
   * operation's derivative there is infinite in the backward pass of any caller. (A `where` guarding the singular
   * point says so too, but code that is never differentiated writes the same guard: it needs a derivative in view.)
   */
  strict?: boolean;
}

/** `g.norm(2, dim=k)` of a derivative `g` (gradient penalties). */
export interface NormEvent {
  node: PyNode;
  of: AV;
  dim: number;
  /**
   * TensorFlow/Keras reductions (`tf.reduce_sum(tf.square(g), axis=[1, 2])`, `tf.norm(g, axis=1)`): every axis
   * reduced, as written (negative axes counted from the end). Absent for PyTorch's one-axis `norm(dim=...)`.
   */
  axes?: readonly number[];
  /** The derivative's visible rank, or null. */
  rank: number | null;
  fn: PyNode | null;
}

/** A backward pass through a graph that was freed or whose saved parameters were changed. */
export interface GraphReuseEvent {
  node: PyNode;
  freed: readonly number[];
  stale: readonly number[];
  recording: Recording;
}

/** An optimizer made from tensors (`torch.optim.Adam([x])`, `Adam(model.parameters())`). */
export interface OptimizerEvent {
  node: PyNode;
  params: TensorFacts[];
}

/** `optimizer.step()` of an optimizer made from tensors the analysis sees: the origins of the parameters it moves. */
export interface StepEvent {
  node: PyNode;
  /** The optimizer's construction. */
  optimizer: PyNode;
  params: readonly number[];
  fn: PyNode | null;
  loop: PyNode | null;
}

/**
 * A Keras loss (`loss_fn(y_true, y_pred)`: passed to `compile(loss=...)`, or named as a loss with that
 * signature) analysed as Keras calls it: `y_true` data, `y_pred` the model's output, an origin of its own.
 */
export interface KerasLossEvent {
  /** The function's name node. */
  node: PyNode;
  fn: PyNode;
  /** The origin standing for the model's output (the `y_pred` parameter's node id). */
  yPred: number;
  /** The loss value on those arguments. */
  result: AV;
  /** `model.compile(loss=...)` that names the function, with the model's value there; null when none is visible. */
  compile: PyNode | null;
  model: AV | null;
}

/**
 * A PyTorch derivative or backward of a value that is a constant derivative: `grad(y, x, create_graph=True)` of a
 * `y` affine in `x` (`2 * x`) has no `grad_fn`, so differentiating it again raises.
 */
export interface ConstantDerivativeEvent {
  node: PyNode;
  /** The derivative sites (with `create_graph`) whose constant result is differentiated here. */
  firsts: readonly number[];
  fn: PyNode | null;
}

/**
 * Inside a `vmap` (default `in_dims`): an operation given a dimension that one sample does not have (`F.normalize(t)`,
 * whose default dim is 1, of a sample of shape (2,)): written for a batch, it raises "Dimension out of range".
 */
export interface SampleDimEvent {
  node: PyNode;
  /** The dimension asked for. */
  dim: number;
  /** The number of dimensions of one sample. */
  rank: number;
  /** Whether the dimension is the operation's default (not written). */
  byDefault: boolean;
  fn: PyNode | null;
}

/**
 * A model call that left out parameters frozen there (`requires_grad = False` on each of them, or
 * `requires_grad_(False)`): its output carries no graph to them.
 */
export interface FrozenCallEvent {
  node: PyNode;
  /** Where they were frozen (the `requires_grad` stores or calls). */
  freezes: readonly number[];
  fn: PyNode | null;
}

export interface AnalysisEvents {
  frozenCalls: FrozenCallEvent[];
  constantDerivatives: ConstantDerivativeEvent[];
  sampleDims: SampleDimEvent[];
  derivatives: DerivativeEvent[];
  sinks: SinkEvent[];
  backwards: BackwardEvent[];
  leaves: LeafEvent[];
  gradReads: GradReadEvent[];
  inplace: InplaceEvent[];
  modelCalls: ModelCallEvent[];
  conversions: ConversionEvent[];
  graphless: GraphlessEvent[];
  libraryDerivatives: LibraryDerivativeEvent[];
  needsGraph: NeedsGraphEvent[];
  optimizers: OptimizerEvent[];
  steps: StepEvent[];
  wheres: WhereEvent[];
  norms: NormEvent[];
  graphReuses: GraphReuseEvent[];
  tapeReuses: TapeReuseEvent[];
  kerasLosses: KerasLossEvent[];
}
