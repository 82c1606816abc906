/**
 * Abstract values of the autograd analysis (see docs/lint-engine.md, "The autograd analysis").
 *
 * An abstract value (`AV`) stands for every run-time value an expression may have at one program point.
 * It is a product of independent facets, each joined on its own at control-flow merges: what kind of
 * thing it may be (tensor, module, function, container, ...), and for tensors what autograd knows of it —
 * which requires-grad leaves it depends on through a live graph, whether it depends on trainable
 * parameters, where its graph was cut, which derivatives it contains and whether those carry a graph,
 * whether it was computed with recording off, its visible shape and dtype. Every set facet is a union
 * over program sites (node ids), so joins are monotone and loops reach a fixpoint in a few rounds.
 *
 * Values are immutable; `with*` helpers return new values. Empty facets share constants, so the common
 * value (a plain tensor, a number, an unknown) costs one small object.
 */
import type { PyNode } from '../tree';

// ------------------------------------------------------------------------------------------ id sets

/** A set of small integers (site ids), sorted ascending, never mutated. */
export type IdSet = readonly number[];
export const NO_IDS: IdSet = Object.freeze([]) as IdSet;

export function ids(...xs: number[]): IdSet {
  if (xs.length === 0) return NO_IDS;
  return [...new Set(xs)].sort((a, b) => a - b);
}

export function union(a: IdSet, b: IdSet): IdSet {
  if (a.length === 0 || a === b) return b;
  if (b.length === 0) return a;
  // Count first: when one side holds the other, return it without allocating; else fill an array of exactly
  // the union's size (sets are kept in the values a long file's analysis holds, and `push` would leave
  // 16 slots in each).
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
    n++;
  }
  n += a.length - i + (b.length - j);
  if (n === a.length) return a;
  if (n === b.length) return b;
  const out: number[] = new Array<number>(n);
  let k = 0;
  i = 0;
  j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out[k++] = a[i];
      i++;
      j++;
    } else if (a[i] < b[j]) out[k++] = a[i++];
    else out[k++] = b[j++];
  }
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

export function has(a: IdSet, x: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return true;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export function minus(a: IdSet, b: IdSet): IdSet {
  if (a.length === 0 || b.length === 0) return a;
  const out = a.filter((x) => !has(b, x));
  return out.length === a.length ? a : out;
}

export function sameIds(a: IdSet, b: IdSet): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ------------------------------------------------------------------------------------------ kinds

/** What a value may be (a bit set: a join of a tensor and None is `TENSOR | NONE`). */
export const Kind = {
  TENSOR: 1,
  /** A NumPy array or a Python/NumPy number computed from tensors (the graph is gone). */
  ARRAY: 2,
  NUMBER: 4,
  BOOL: 8,
  STRING: 16,
  NONE: 32,
  /** A tuple or list (items known when built from a literal). */
  SEQ: 64,
  DICT: 128,
  /** A callable defined in the analysed code (function, lambda, bound method). */
  FUNC: 256,
  /** A class defined in the analysed code. */
  CLASS: 512,
  /** An instance of a class defined in the analysed code. */
  INST: 1024,
  /** A library thing named by qualified name: a module, function or class (`torch.autograd.grad`). */
  LIB: 2048,
  /** An instance of a library class (`torch.nn.Linear(2, 1)`, a scaler, an optimizer, a tape). */
  LIBINST: 4096,
  /** Anything: a parameter nobody calls with a visible argument, an unknown library call's result. */
  UNKNOWN: 8192,
} as const;

// ------------------------------------------------------------------------------------------ shapes

/**
 * The visible shape: `null` when the rank is unknown; otherwise one entry per dimension, a number when
 * the size is visible (`torch.rand(100, 2)`), else null. `[]` is a scalar.
 */
export type Dims = readonly (number | null)[] | null;

export function joinDims(a: Dims, b: Dims): Dims {
  if (a === b) return a;
  if (a === null || b === null || a.length !== b.length) return null;
  let same = true;
  const out = a.map((x, i) => {
    if (x === b[i]) return x;
    same = false;
    return null;
  });
  return same ? a : out;
}

/** Whether the shape visibly holds more than one element. */
export function visiblyNonScalar(d: Dims): boolean {
  return d !== null && d.some((x) => x !== null && x > 1);
}

export function isScalarDims(d: Dims): boolean {
  return d !== null && d.every((x) => x === 1);
}

// ------------------------------------------------------------------------------------------ tensors

export type DType = 'float' | 'int' | 'bool' | 'complex' | null;

/** What autograd knows of a tensor (or of a number/array computed from one). */
export interface TensorFacts {
  /** Requires-grad leaves (their marking sites) this value depends on through a live graph. */
  readonly leaves: IdSet;
  /** Module-call sites through which it depends on trainable parameters (with a live graph). */
  readonly params: IdSet;
  /** The leaf this value *is* (its marking site), when it is a leaf that requires grad. */
  readonly leafOf: number | null;
  /**
   * Leaves this value may *be* on some path (a join of a leaf with another value, where `leafOf` cannot
   * say which): anything computed from it depends on them, as from `leafOf`.
   */
  readonly mayLeaf: IdSet;
  /** Origins (leaf or parameter sites) whose graph was cut on the way to this value, with the cut site. */
  readonly cuts: readonly Cut[];
  /**
   * Derivative results this value contains *as a term* (not only as the input of a model): the
   * derivative-call sites, split by whether the derivative was taken with a graph.
   */
  readonly dGraph: IdSet;
  readonly dNoGraph: IdSet;
  /** Derivative order: 0 for a plain value, 1 for a first derivative, 2 for a second ... (max over paths). */
  readonly order: number;
  /** Piecewise-linear activations (ReLU-like) on the differentiable path to this value (sites). */
  readonly pwl: IdSet;
  /**
   * Smooth nonlinear operations applied to something that depends on a leaf (tanh, sin, exp, x * x):
   * where a second derivative with respect to the leaf can be non-zero (sites).
   */
  readonly curved: IdSet;
  /** Batch-coupling layers (BatchNorm in training mode) on the path (sites). */
  readonly coupled: IdSet;
  /** Computed where autograd did not record (the `no_grad`/`inference_mode` site), or null. */
  readonly recOff: number | null;
  /** Inference-mode tensor (cannot be used in autograd even after `enable_grad`). */
  readonly inference: boolean;
  /** Produced by a normalization (scaler `transform`, `(x - mu) / sigma`): the site, or null. */
  readonly norm: number | null;
  readonly dims: Dims;
  readonly dtype: DType;
  /** The value may require grad for reasons not visible here (an argument of an unknown caller). */
  readonly opaque: boolean;
  /** `x.grad` of the leaf with this marking site (the accumulation buffer itself), or null. */
  readonly gradOf: number | null;
  /** TensorFlow: tapes (their sites) that watch or record this value. */
  readonly tapes: IdSet;
  /** TensorFlow: a `tf.Variable` (watched automatically by tapes). */
  readonly variable: boolean;
  /** Sites of operations whose derivative is NaN/inf at some inputs (sqrt, log, division, norm, exp overflow). */
  readonly risky: IdSet;
  /**
   * `where` sites whose unselected branch holds such an operation on a guarded input: the branch's
   * NaN/inf gradient times where's zero is NaN, and it reaches the input's gradient.
   */
  readonly masked: IdSet;
  /** Model-call and derivative sites whose graph this value holds (each execution is a graph of its own). */
  readonly hist: IdSet;
  /** Backward/grad sites that freed (part of) this value's graph (no `retain_graph`). */
  readonly freed: IdSet;
  /** `optimizer.step()` sites that changed parameters this value's graph saved. */
  readonly stale: IdSet;
  /** Operations that saved this very tensor for their backward (changing it in place breaks them). */
  readonly saved: IdSet;
  /**
   * Operations on the differentiable path whose backward PyTorch cannot differentiate again (no double
   * backward: `F.grid_sample`, `torch.cdist`, a custom Function with `@once_differentiable`): sites.
   */
  readonly noDouble: IdSet;
  /**
   * Sites of tensors made from literal infinities (`torch.tensor([0.0, math.inf])`, `torch.full(s, inf)`) whose
   * entries this value may still hold: arithmetic keeps them, a `where`/`clamp`/`minimum` result does not.
   */
  readonly inf: IdSet;
  /**
   * The value is affine in the leaves it depends on and depends on no parameter: a leaf, or sums, differences and
   * products or quotients by constants of such values (`2 * x`, `x - c`). Its derivative is a constant that has no
   * `grad_fn` even with `create_graph=True`. False unless an operation known to be affine made it.
   */
  readonly affine: boolean;
  /**
   * Sites of differences of a tensor with itself that this value equals up to operations keeping a 0 (a square, a sum
   * over the coordinates, `abs`, a norm): `x[:, None] - x[None]` is 0 on the diagonal (each point with itself), so the
   * value is 0 there. Set only by such a difference and kept only by those operations (empty after any other).
   */
  readonly zeros: IdSet;
  /**
   * Sites of data made with zeros in the code (`jnp.zeros(n)`, all zero; `jnp.array([0.4, 0.0])`, some entries) that this
   * value equals entry for entry up to operations keeping a 0 (a product with anything, a square, a gather): it is 0
   * where they are. Unlike `zeros`, a join keeps only the sites of both sides (0 on every path, not on some).
   */
  readonly zeroData: IdSet;
  /**
   * A broadcast view (`x[:, None]`, `x.unsqueeze(1)`, `x.view(n, 1, -1)`, `jnp.expand_dims(x, 0)`): the site of the value
   * it is a view of, so that two views of one value met in a helper (`f(feats, feats)` reshaping each argument) are
   * known to be of the same tensor. Null for anything else.
   */
  readonly viewOf: number | null;
  /**
   * The device a move put this tensor on (`'cuda'` after `.cuda()`, the argument's text after `.to(device)`), or null.
   * A second move to the same device returns the tensor itself (a leaf stays that leaf), as PyTorch does.
   */
  readonly device: string | null;
}

export interface Cut {
  /** The origin (leaf or parameter site) whose graph was cut. */
  readonly origin: number;
  /** The operation that cut it (`.detach()`, `.numpy()`, `torch.tensor(t)`, ...). */
  readonly site: number;
}

export const EMPTY_TENSOR: TensorFacts = Object.freeze({
  leaves: NO_IDS,
  params: NO_IDS,
  leafOf: null,
  mayLeaf: NO_IDS,
  cuts: [],
  dGraph: NO_IDS,
  dNoGraph: NO_IDS,
  order: 0,
  pwl: NO_IDS,
  curved: NO_IDS,
  coupled: NO_IDS,
  recOff: null,
  inference: false,
  norm: null,
  dims: null,
  dtype: null,
  opaque: false,
  gradOf: null,
  tapes: NO_IDS,
  variable: false,
  risky: NO_IDS,
  masked: NO_IDS,
  hist: NO_IDS,
  freed: NO_IDS,
  stale: NO_IDS,
  saved: NO_IDS,
  noDouble: NO_IDS,
  inf: NO_IDS,
  affine: false,
  zeros: NO_IDS,
  zeroData: NO_IDS,
  viewOf: null,
  device: null,
});

/**
 * `{ ...EMPTY_TENSOR, ...p }`, frozen, written out field by field: the spread was a large share of the
 * analysis' time (an object spread of a frozen object is a slow generic copy in V8). `'k' in p` keeps the
 * spread's meaning exactly, an explicit `undefined` included.
 */
export function tensorFacts(p: Partial<TensorFacts>): TensorFacts {
  const E = EMPTY_TENSOR;
  return Object.freeze({
    leaves: 'leaves' in p ? p.leaves! : E.leaves,
    params: 'params' in p ? p.params! : E.params,
    leafOf: 'leafOf' in p ? p.leafOf! : E.leafOf,
    mayLeaf: 'mayLeaf' in p ? p.mayLeaf! : E.mayLeaf,
    cuts: 'cuts' in p ? p.cuts! : E.cuts,
    dGraph: 'dGraph' in p ? p.dGraph! : E.dGraph,
    dNoGraph: 'dNoGraph' in p ? p.dNoGraph! : E.dNoGraph,
    order: 'order' in p ? p.order! : E.order,
    pwl: 'pwl' in p ? p.pwl! : E.pwl,
    curved: 'curved' in p ? p.curved! : E.curved,
    coupled: 'coupled' in p ? p.coupled! : E.coupled,
    recOff: 'recOff' in p ? p.recOff! : E.recOff,
    inference: 'inference' in p ? p.inference! : E.inference,
    norm: 'norm' in p ? p.norm! : E.norm,
    dims: 'dims' in p ? p.dims! : E.dims,
    dtype: 'dtype' in p ? p.dtype! : E.dtype,
    opaque: 'opaque' in p ? p.opaque! : E.opaque,
    gradOf: 'gradOf' in p ? p.gradOf! : E.gradOf,
    tapes: 'tapes' in p ? p.tapes! : E.tapes,
    variable: 'variable' in p ? p.variable! : E.variable,
    risky: 'risky' in p ? p.risky! : E.risky,
    masked: 'masked' in p ? p.masked! : E.masked,
    hist: 'hist' in p ? p.hist! : E.hist,
    freed: 'freed' in p ? p.freed! : E.freed,
    stale: 'stale' in p ? p.stale! : E.stale,
    saved: 'saved' in p ? p.saved! : E.saved,
    noDouble: 'noDouble' in p ? p.noDouble! : E.noDouble,
    inf: 'inf' in p ? p.inf! : E.inf,
    affine: 'affine' in p ? p.affine! : E.affine,
    zeros: 'zeros' in p ? p.zeros! : E.zeros,
    zeroData: 'zeroData' in p ? p.zeroData! : E.zeroData,
    viewOf: 'viewOf' in p ? p.viewOf! : E.viewOf,
    device: 'device' in p ? p.device! : E.device,
  });
}

function joinCuts(a: readonly Cut[], b: readonly Cut[]): readonly Cut[] {
  if (a.length === 0) return b;
  if (b.length === 0 || a === b) return a;
  const out = [...a];
  for (const c of b) if (!out.some((x) => x.origin === c.origin && x.site === c.site)) out.push(c);
  return out.length === a.length ? a : out;
}

export function joinTensor(a: TensorFacts | null, b: TensorFacts | null): TensorFacts | null {
  if (!a) return b;
  if (!b || a === b) return a;
  const j: TensorFacts = {
    leaves: union(a.leaves, b.leaves),
    params: union(a.params, b.params),
    leafOf: a.leafOf === b.leafOf ? a.leafOf : null,
    mayLeaf:
      a.leafOf === b.leafOf
        ? union(a.mayLeaf, b.mayLeaf)
        : union(union(a.mayLeaf, b.mayLeaf), a.leafOf !== null && b.leafOf !== null ? ids(a.leafOf, b.leafOf) : a.leafOf !== null ? [a.leafOf] : b.leafOf !== null ? [b.leafOf] : NO_IDS),
    cuts: joinCuts(a.cuts, b.cuts),
    dGraph: union(a.dGraph, b.dGraph),
    dNoGraph: union(a.dNoGraph, b.dNoGraph),
    order: Math.max(a.order, b.order),
    pwl: union(a.pwl, b.pwl),
    curved: union(a.curved, b.curved),
    coupled: union(a.coupled, b.coupled),
    recOff: a.recOff ?? b.recOff,
    inference: a.inference || b.inference,
    norm: a.norm ?? b.norm,
    dims: joinDims(a.dims, b.dims),
    dtype: a.dtype === b.dtype ? a.dtype : null,
    opaque: a.opaque || b.opaque,
    gradOf: a.gradOf === b.gradOf ? a.gradOf : null,
    tapes: union(a.tapes, b.tapes),
    variable: a.variable && b.variable,
    risky: union(a.risky, b.risky),
    masked: union(a.masked, b.masked),
    hist: union(a.hist, b.hist),
    freed: union(a.freed, b.freed),
    stale: union(a.stale, b.stale),
    saved: union(a.saved, b.saved),
    noDouble: union(a.noDouble, b.noDouble),
    inf: union(a.inf, b.inf),
    affine: a.affine && b.affine,
    zeros: union(a.zeros, b.zeros),
    zeroData: a.zeroData.length === 0 || b.zeroData.length === 0 ? NO_IDS : a.zeroData.filter((x) => has(b.zeroData, x)),
    viewOf: a.viewOf === b.viewOf ? a.viewOf : null,
    device: a.device === b.device ? a.device : null,
  };
  return sameTensor(a, j) ? a : sameTensor(b, j) ? b : Object.freeze(j);
}

export function sameTensor(a: TensorFacts | null, b: TensorFacts | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    sameIds(a.leaves, b.leaves) &&
    sameIds(a.params, b.params) &&
    a.leafOf === b.leafOf &&
    sameIds(a.mayLeaf, b.mayLeaf) &&
    a.cuts.length === b.cuts.length &&
    a.cuts.every((c, i) => c.origin === b.cuts[i].origin && c.site === b.cuts[i].site) &&
    sameIds(a.dGraph, b.dGraph) &&
    sameIds(a.dNoGraph, b.dNoGraph) &&
    a.order === b.order &&
    sameIds(a.pwl, b.pwl) &&
    sameIds(a.curved, b.curved) &&
    sameIds(a.coupled, b.coupled) &&
    a.recOff === b.recOff &&
    a.inference === b.inference &&
    a.norm === b.norm &&
    sameDims(a.dims, b.dims) &&
    a.dtype === b.dtype &&
    a.opaque === b.opaque &&
    a.gradOf === b.gradOf &&
    sameIds(a.tapes, b.tapes) &&
    a.variable === b.variable &&
    sameIds(a.risky, b.risky) &&
    sameIds(a.masked, b.masked) &&
    sameIds(a.hist, b.hist) &&
    sameIds(a.freed, b.freed) &&
    sameIds(a.stale, b.stale) &&
    sameIds(a.saved, b.saved) &&
    sameIds(a.noDouble, b.noDouble) &&
    sameIds(a.inf, b.inf) &&
    a.affine === b.affine &&
    sameIds(a.zeros, b.zeros) &&
    sameIds(a.zeroData, b.zeroData) &&
    a.viewOf === b.viewOf &&
    a.device === b.device
  );
}

function sameDims(a: Dims, b: Dims): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}

/** Whether autograd may track this value (it depends on a leaf or parameters through a live graph). */
export function requiresGrad(t: TensorFacts | null): boolean {
  return !!t && (t.leaves.length > 0 || t.params.length > 0 || t.leafOf !== null || t.mayLeaf.length > 0);
}

/**
 * The facts of a value computed from several differentiable inputs by a differentiable operation
 * (`a + b`, `torch.sin(a)`, `model(x)`'s arithmetic): graph facets are unions; shape and dtype are
 * left to the caller.
 */
export function combineTensors(parts: readonly (TensorFacts | null)[]): TensorFacts {
  let leaves = NO_IDS;
  let params = NO_IDS;
  let cuts: readonly Cut[] = [];
  let dGraph = NO_IDS;
  let dNoGraph = NO_IDS;
  let order = 0;
  let pwl = NO_IDS;
  let curved = NO_IDS;
  let coupled = NO_IDS;
  let recOff: number | null = null;
  let inference = false;
  let norm: number | null = null;
  let opaque = false;
  let tapes = NO_IDS;
  let risky = NO_IDS;
  let masked = NO_IDS;
  let hist = NO_IDS;
  let freed = NO_IDS;
  let stale = NO_IDS;
  let noDouble = NO_IDS;
  let inf = NO_IDS;
  for (const p of parts) {
    if (!p) continue;
    leaves = union(leaves, p.leafOf !== null ? union(p.leaves, [p.leafOf]) : p.leaves);
    if (p.mayLeaf.length > 0) leaves = union(leaves, p.mayLeaf);
    params = union(params, p.params);
    cuts = joinCuts(cuts, p.cuts);
    dGraph = union(dGraph, p.dGraph);
    dNoGraph = union(dNoGraph, p.dNoGraph);
    order = Math.max(order, p.order);
    pwl = union(pwl, p.pwl);
    curved = union(curved, p.curved);
    coupled = union(coupled, p.coupled);
    recOff = recOff ?? p.recOff;
    inference = inference || p.inference;
    norm = norm ?? p.norm;
    opaque = opaque || p.opaque;
    tapes = union(tapes, p.tapes);
    risky = union(risky, p.risky);
    masked = union(masked, p.masked);
    hist = union(hist, p.hist);
    freed = union(freed, p.freed);
    stale = union(stale, p.stale);
    noDouble = union(noDouble, p.noDouble);
    inf = union(inf, p.inf);
  }
  // The fields in EMPTY_TENSOR's order, those not combined from it (no object spread: see `tensorFacts`).
  return Object.freeze({
    leaves,
    params,
    leafOf: EMPTY_TENSOR.leafOf,
    mayLeaf: EMPTY_TENSOR.mayLeaf,
    cuts,
    dGraph,
    dNoGraph,
    order,
    pwl,
    curved,
    coupled,
    recOff,
    inference,
    norm,
    dims: EMPTY_TENSOR.dims,
    dtype: EMPTY_TENSOR.dtype,
    opaque,
    gradOf: EMPTY_TENSOR.gradOf,
    tapes,
    variable: EMPTY_TENSOR.variable,
    risky,
    masked,
    hist,
    freed,
    stale,
    saved: EMPTY_TENSOR.saved,
    noDouble,
    inf,
    affine: EMPTY_TENSOR.affine,
    zeros: EMPTY_TENSOR.zeros,
    zeroData: EMPTY_TENSOR.zeroData,
    viewOf: EMPTY_TENSOR.viewOf,
    device: EMPTY_TENSOR.device,
  });
}

/**
 * The facts after an operation that leaves autograd (`.detach()`, `.numpy()`, `.item()`, NumPy,
 * `torch.tensor(t)`): every live dependency becomes a cut at `site`. Derivative terms are dropped: a
 * derivative that was detached or converted is data, on purpose (a target, a logged value).
 */
export function cutTensor(t: TensorFacts | null, site: number, keepShape = true): TensorFacts {
  if (!t) return tensorFacts({});
  const origins = union(union(union(t.leaves, t.params), t.leafOf !== null ? [t.leafOf] : NO_IDS), t.mayLeaf);
  const cuts = joinCuts(
    t.cuts,
    origins.map((origin) => ({ origin, site })),
  );
  return tensorFacts({
    cuts,
    order: t.order,
    norm: t.norm,
    dims: keepShape ? t.dims : null,
    dtype: t.dtype,
    recOff: t.recOff,
    inference: t.inference,
  });
}

// ------------------------------------------------------------------------------------------ values

/** A function or lambda of the analysed code, possibly bound to `self` (a method of an instance). */
export interface FuncRef {
  readonly node: PyNode;
  /** The bound `self` for a method taken from an instance (`self.f`, `net.forward`). */
  readonly self: AV | null;
}

/** What the analysis knows of a class defined in the analysed code (filled as its methods are analysed). */
export interface ClassRef {
  readonly node: PyNode;
  readonly name: string;
  /** Qualified names of library bases (`torch.nn.Module`, `lightning.LightningModule`, `tensorflow.keras.Model`). */
  readonly libBases: readonly string[];
  /** Local base classes. */
  readonly bases: readonly ClassRef[];
  /** `self.x = ...` anywhere in its methods (joined), plus class-level assignments. */
  readonly attrs: Map<string, AV>;
  /** Methods by name (`function_definition` nodes). */
  readonly methods: Map<string, PyNode>;
}

/** Facts of something that can be called like a model: layers, `nn.Sequential`, a Keras model. */
export interface ModuleFacts {
  /** Module-creation sites whose parameters are trainable (a site per layer/model constructed). */
  readonly params: IdSet;
  /** Piecewise-linear activation sites inside (ReLU, LeakyReLU, ...). */
  readonly pwl: IdSet;
  /** Smooth activation sites inside (Tanh, Softplus, ...). */
  readonly curved: IdSet;
  /** Batch-coupling layers in training mode (BatchNorm). */
  readonly coupled: IdSet;
  /** Output features of the last layer when visible (`nn.Linear(64, 3)` → 3). */
  readonly outFeatures: number | null;
  /** The module is in eval mode (`.eval()` seen on it). */
  readonly eval: boolean;
  /** Parameters were frozen (`requires_grad_(False)` on its parameters): the site, or null. */
  readonly frozen: number | null;
}

export const EMPTY_MODULE: ModuleFacts = Object.freeze({ params: NO_IDS, pwl: NO_IDS, curved: NO_IDS, coupled: NO_IDS, outFeatures: null, eval: false, frozen: null });

export function joinModule(a: ModuleFacts | null, b: ModuleFacts | null): ModuleFacts | null {
  if (!a) return b;
  if (!b || a === b) return a;
  return Object.freeze({
    params: union(a.params, b.params),
    pwl: union(a.pwl, b.pwl),
    curved: union(a.curved, b.curved),
    coupled: union(a.coupled, b.coupled),
    outFeatures: a.outFeatures === b.outFeatures ? a.outFeatures : null,
    eval: a.eval && b.eval,
    frozen: a.frozen ?? b.frozen,
  });
}

function sameModule(a: ModuleFacts | null, b: ModuleFacts | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return sameIds(a.params, b.params) && sameIds(a.pwl, b.pwl) && sameIds(a.curved, b.curved) && sameIds(a.coupled, b.coupled) && a.outFeatures === b.outFeatures && a.eval === b.eval && a.frozen === b.frozen;
}

export interface AV {
  /** Bit set of `Kind`s. */
  readonly kind: number;
  /** Tensor facets (for tensors, and for arrays/numbers computed from tensors: what was cut). */
  readonly t: TensorFacts | null;
  /** For `LIB`/`LIBINST`: qualified names (`torch.nn.Linear`, `sklearn.preprocessing.MinMaxScaler`). */
  readonly lib: readonly string[];
  readonly fns: readonly FuncRef[];
  /** For `CLASS`: the classes; for `INST`: the classes of the instance. */
  readonly classes: readonly ClassRef[];
  /** For `SEQ`: the items when known position by position (literal tuples and lists). */
  readonly items: readonly AV[] | null;
  /** For `SEQ`/`DICT`: the join of all elements. */
  readonly elem: AV | null;
  /** For `DICT`: literal string keys. */
  readonly keys: ReadonlyMap<string, AV> | null;
  /** Model facts, for values that can be called like a model. */
  readonly mod: ModuleFacts | null;
  /** Where the value was made (a node id), for related locations; -1 when not one place. */
  readonly site: number;
  /** For `LIBINST` objects with state the analysis follows (a tape, an optimizer): the object's id. */
  readonly obj: number | null;
  /** Literal value for small constants (`True`, `1`, `'mean'`), or undefined. */
  readonly lit?: boolean | number | string | null;
}

const BASE: AV = Object.freeze({ kind: 0, t: null, lib: [], fns: [], classes: [], items: null, elem: null, keys: null, mod: null, site: -1, obj: null });

/** The fields `av` writes out; the compiler fails here if `AV` gains one (an optional one would be dropped). */
type AvFieldsNotCovered = Exclude<keyof AV, 'kind' | 't' | 'lib' | 'fns' | 'classes' | 'items' | 'elem' | 'keys' | 'mod' | 'site' | 'obj' | 'lit'>;
const AV_FIELDS_COVERED: [AvFieldsNotCovered] extends [never] ? true : never = true;
void AV_FIELDS_COVERED;

/** `{ ...BASE, ...p }`, frozen, written out field by field for speed (see `tensorFacts`); `lit` only when given. */
export function av(p: Partial<AV>): AV {
  if ('lit' in p) return avWithLit(p);
  const o: { -readonly [K in keyof AV]: AV[K] } = {
    kind: 'kind' in p ? p.kind! : BASE.kind,
    t: 't' in p ? p.t! : BASE.t,
    lib: 'lib' in p ? p.lib! : BASE.lib,
    fns: 'fns' in p ? p.fns! : BASE.fns,
    classes: 'classes' in p ? p.classes! : BASE.classes,
    items: 'items' in p ? p.items! : BASE.items,
    elem: 'elem' in p ? p.elem! : BASE.elem,
    keys: 'keys' in p ? p.keys! : BASE.keys,
    mod: 'mod' in p ? p.mod! : BASE.mod,
    site: 'site' in p ? p.site! : BASE.site,
    obj: 'obj' in p ? p.obj! : BASE.obj,
  };
  return Object.freeze(o);
}

/**
 * `av` for a value with a literal: `lit` written in the object literal, not added afterwards (an added
 * property goes to a separate property array, about 100 bytes per value).
 */
function avWithLit(p: Partial<AV>): AV {
  return Object.freeze({
    kind: 'kind' in p ? p.kind! : BASE.kind,
    t: 't' in p ? p.t! : BASE.t,
    lib: 'lib' in p ? p.lib! : BASE.lib,
    fns: 'fns' in p ? p.fns! : BASE.fns,
    classes: 'classes' in p ? p.classes! : BASE.classes,
    items: 'items' in p ? p.items! : BASE.items,
    elem: 'elem' in p ? p.elem! : BASE.elem,
    keys: 'keys' in p ? p.keys! : BASE.keys,
    mod: 'mod' in p ? p.mod! : BASE.mod,
    site: 'site' in p ? p.site! : BASE.site,
    obj: 'obj' in p ? p.obj! : BASE.obj,
    lit: p.lit,
  });
}

export const BOTTOM: AV = av({});
export const UNKNOWN: AV = av({ kind: Kind.UNKNOWN });
export const NONE: AV = av({ kind: Kind.NONE, lit: null });
export const NUMBER: AV = av({ kind: Kind.NUMBER });
export const STRING: AV = av({ kind: Kind.STRING });
export const BOOL: AV = av({ kind: Kind.BOOL });

export function tensor(t: Partial<TensorFacts>, site = -1): AV {
  return av({ kind: Kind.TENSOR, t: tensorFacts(t), site });
}

export function libRef(qname: string, site = -1): AV {
  return av({ kind: Kind.LIB, lib: [qname], site });
}

export function libInst(qname: string, site: number, extra: Partial<AV> = {}): AV {
  return av({ kind: Kind.LIBINST, lib: [qname], site, ...extra });
}

export function seq(items: readonly AV[] | null, elem?: AV, site = -1): AV {
  const e = elem ?? (items ? items.reduce<AV>((acc, x) => join(acc, x), BOTTOM) : UNKNOWN);
  return av({ kind: Kind.SEQ, items, elem: e, site });
}

export function isKind(v: AV, k: number): boolean {
  return (v.kind & k) !== 0;
}

/** Only of these kinds (and at least one of them). */
export function onlyKind(v: AV, k: number): boolean {
  return v.kind !== 0 && (v.kind & ~k) === 0;
}

function unionList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): readonly T[] {
  if (a.length === 0) return b;
  if (b.length === 0 || a === b) return a;
  const out = [...a];
  for (const x of b) if (!out.some((y) => same(x, y))) out.push(x);
  return out.length === a.length ? a : out;
}

const sameFn = (x: FuncRef, y: FuncRef): boolean => x.node === y.node && (x.self === y.self || (!!x.self && !!y.self && x.self.classes[0] === y.self.classes[0]));

/** The same items, element by element (identity). */
function sameParts(x: readonly AV[] | null, y: readonly AV[] | null): boolean {
  if (x === y) return true;
  if (!x || !y || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The same keys with the same values (identity). */
function sameKeys(x: ReadonlyMap<string, AV> | null, y: ReadonlyMap<string, AV> | null): boolean {
  if (x === y) return true;
  if (!x || !y || x.size !== y.size) return false;
  for (const [k, v] of x) if (y.get(k) !== v) return false;
  return true;
}

/** The least upper bound of two abstract values. */
export function join(a: AV, b: AV): AV {
  if (a === b || b === BOTTOM) return a;
  if (a === BOTTOM) return b;
  const kind = a.kind | b.kind;
  const t = joinTensor(a.t, b.t);
  const lib = unionList(a.lib, b.lib, (x, y) => x === y);
  const fns = unionList(a.fns, b.fns, sameFn);
  const classes = unionList(a.classes, b.classes, (x, y) => x === y);
  let items: readonly AV[] | null = null;
  if (a.items && b.items && a.items.length === b.items.length) items = a.items.map((x, i) => join(x, b.items![i]));
  const elem = a.elem && b.elem ? join(a.elem, b.elem) : (a.elem ?? b.elem);
  let keys: Map<string, AV> | null = null;
  if (a.keys && b.keys) {
    keys = new Map(a.keys);
    for (const [k, v] of b.keys) keys.set(k, keys.has(k) ? join(keys.get(k)!, v) : v);
  }
  const mod = joinModule(a.mod, b.mod);
  const site = a.site === b.site ? a.site : -1;
  const obj = a.obj === b.obj ? a.obj : null;
  const lit = a.lit === b.lit ? a.lit : undefined;
  // b adds nothing to a (the common case at a loop's fixpoint and when a node is noted again): every facet
  // of the join is a's own, so sameValue(join, a) holds and a is the answer; skip building it.
  if (kind === a.kind && t === a.t && lib === a.lib && fns === a.fns && classes === a.classes && elem === a.elem && mod === a.mod && site === a.site && obj === a.obj && lit === a.lit && sameParts(items, a.items) && sameKeys(keys, a.keys)) return a;
  const out = av({ kind, t, lib, fns, classes, items, elem, keys, mod, site, obj, lit });
  if (sameValue(out, a)) return a;
  if (sameValue(out, b)) return b;
  return out;
}

export function sameValue(a: AV, b: AV): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.site !== b.site || a.obj !== b.obj || a.lit !== b.lit) return false;
  if (!sameTensor(a.t, b.t) || !sameModule(a.mod, b.mod)) return false;
  if (a.lib.length !== b.lib.length || a.lib.some((x, i) => x !== b.lib[i])) return false;
  if (a.fns.length !== b.fns.length || a.fns.some((x, i) => !sameFn(x, b.fns[i]))) return false;
  if (a.classes.length !== b.classes.length || a.classes.some((x, i) => x !== b.classes[i])) return false;
  if ((a.items === null) !== (b.items === null)) return false;
  if (a.items && b.items && (a.items.length !== b.items.length || a.items.some((x, i) => !sameValue(x, b.items![i])))) return false;
  if ((a.elem === null) !== (b.elem === null) || (a.elem && b.elem && !sameValue(a.elem, b.elem))) return false;
  if ((a.keys === null) !== (b.keys === null)) return false;
  if (a.keys && b.keys) {
    if (a.keys.size !== b.keys.size) return false;
    for (const [k, v] of a.keys) {
      const w = b.keys.get(k);
      if (!w || !sameValue(v, w)) return false;
    }
  }
  return true;
}

/**
 * A short key of the facets that change what a called function does, for memoizing its analysis per
 * calling context. Two values with the same key are analysed once.
 */
export function contextKey(v: AV, depth = 0): string {
  const t = v.t;
  // A container's contents change what the function does too (a dict or list of fast weights, some of
  // them graphless gradients): one level of its element and items.
  const inner = depth === 0 && (v.elem || v.items || v.keys) ? `[${v.elem ? contextKey(v.elem, 1) : ''};${v.items ? v.items.slice(0, 4).map((x) => contextKey(x, 1)).join(';') : ''};${v.keys ? [...v.keys.values()].slice(0, 4).map((x) => contextKey(x, 1)).join(';') : ''}]` : '';
  const tk = t
    ? `${t.leaves.join('.')}|${t.params.length > 0 ? 'p' : ''}|${t.leafOf ?? ''}${t.mayLeaf.length > 0 ? `~${t.mayLeaf.join('.')}` : ''}|${t.cuts.length}|${t.dGraph.length > 0 ? 'g' : ''}${t.dNoGraph.length > 0 ? 'n' : ''}|${t.order}|${t.pwl.length > 0 ? 'r' : ''}${t.curved.length > 0 ? 's' : ''}|${t.coupled.length > 0 ? 'c' : ''}|${t.recOff ?? ''}|${t.norm ?? ''}|${t.dims === null ? '?' : t.dims.join(',')}|${t.dtype ?? ''}|${t.opaque ? 'o' : ''}|${t.tapes.join('.')}|${t.variable ? 'v' : ''}|${t.freed.length > 0 ? 'f' : ''}${t.stale.length > 0 ? 's' : ''}${t.noDouble.length > 0 ? 'd' : ''}${t.inf.length > 0 ? 'i' : ''}${t.affine ? 'a' : ''}${t.zeros.length > 0 ? 'z' : ''}${t.zeroData.length > 0 ? 'Z' : ''}${t.viewOf !== null ? `w${t.viewOf}` : ''}${t.device !== null ? `@${t.device}` : ''}`
    : '';
  const rest = `${v.lib.join(',')}|${v.fns.map((f) => f.node.id).join(',')}|${v.classes.map((c) => c.node.id).join(',')}|${v.items ? v.items.length : ''}|${v.obj ?? ''}|${v.mod ? `${v.mod.pwl.length}${v.mod.coupled.length}${v.mod.eval}` : ''}`;
  // A flag's literal chooses branches (`low_mem=True` builds an L-BFGS, `False` a BFGS): calls that differ only in
  // a boolean or None are separate contexts. Numbers and strings are not (a learning rate would multiply them).
  const lit = typeof v.lit === 'boolean' || v.lit === null ? `|${String(v.lit)}` : '';
  return `${v.kind}:${tk}:${rest}${lit}${inner}`;
}
