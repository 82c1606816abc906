/**
 * What calls, attributes and operators do to abstract values: the semantics of Python's operators and
 * builtins, of the file's own classes and functions (delegated to the interpreter), and of the library
 * APIs described as data in `../knowledge/`. Framework-specific parts: PyTorch here; TensorFlow in
 * `tensorflow.ts`, JAX in `jax.ts`.
 */
import { field, namedChildren, nodesOfType, unparen, type PyNode } from '../tree';
import {
  AFFINE_METHODS,
  AUTOGRAD_BACKWARD_PARAMS,
  AUTOGRAD_FUNCTION_BASES,
  BACKWARD_PARAMS,
  BATCH_COUPLING_MODULES,
  PARAMETERLESS_MODULES,
  SHAPE_CHANGING_MODULES,
  CUT_METHODS,
  DIM_ARGUMENT,
  FINITE_RESULT,
  INPLACE_METHOD,
  INPLACE_NOT_ARITHMETIC,
  INTEGER_FACTORIES,
  LIBRARY_ROOTS,
  LIGHTNING_BASES,
  LOSS_FUNCTION,
  LOSS_MODULE,
  META_METHODS,
  MODULE_CONTAINERS,
  NO_DOUBLE_BACKWARD,
  NON_FINITE_DERIVATIVE_AT_INF,
  ONCE_DIFFERENTIABLE,
  RUNS_WITHOUT_RECORDING,
  TORCH_CHECKPOINT,
  type RunsWithoutRecording,
  OPTIMIZER_PREFIXES,
  OPTIMIZER_STATE_ATTRIBUTE,
  OUT_FEATURES_ARG,
  PIECEWISE_LINEAR_FUNCTIONS,
  PIECEWISE_LINEAR_MODULES,
  PYTHON_CUTS,
  REDUCTIONS,
  RISKY_FUNCTIONS,
  RISKY_METHODS,
  SCALER_INVERSE,
  SCALER_TRANSFORMS,
  OUTPUT_SAVING_MODULES,
  SAME_SHAPE_METHODS,
  SAVES_INPUT,
  SAVES_OUTPUT,
  VIEW_OPS,
  SCALERS,
  SMOOTH_FUNCTIONS,
  SMOOTH_MODULES,
  TORCH_DERIVATIVES,
  TORCH_FACTORIES,
  TORCH_GRAD_MODES,
  TORCH_PASS_THROUGH,
  TORCH_REDUCTIONS,
  TORCH_FLATTEN_SEQUENCE,
  TORCH_SEQUENCE_OPS,
  TORCH_ZERO_GRAD_FUNCTIONS,
  TRAINING_HOOKS,
  ZERO_GRAD_METHODS,
  LOSS_CALLABLE_NAME,
  CURVED_REDUCTIONS,
  PIECEWISE_LINEAR_LOSSES,
  graphlessLibrary,
  differentiatesInside,
  differentiatingFunction,
  CLOSURE_ENABLES_GRAD_PREFIXES,
  OPTIMIZER_CLOSURE,
  OPTIMIZER_CLOSURE_SPEC,
  type DerivativeSpec,
  type GraphlessSpec,
  type DifferentiatesInside,
  DIAGONAL_MASK_FUNCTIONS,
  STRICTLY_SINGULAR_OPS,
  torchvisionModel,
  noDoubleBackwardOf,
  TORCH_NONREPARAM_SAMPLERS,
  MODULE_WRAPPERS,
  TORCH_COMPILE,
  DISTRIBUTION_SAMPLE_METHODS,
  DISTRIBUTION_LIVE_METHODS,
  DISTRIBUTION_LIVE_ATTRIBUTES,
  type KnownModel,
  TORCH_AXIS_REDUCTIONS,
  REDUCTIONS_WITH_INDICES,
  VALUES_AND_INDICES,
  MODULE_SELF_METHODS,
  type ArgRef,
} from '../knowledge/torch';
import { graphlessIntermediate } from '../torch';
import { savedByForward } from '../derivative-rules';
import { baseIdentifier, bindingValue, type CallInfo } from '../semantic';
import { CLEARED_GRAD, recordingOff, SELF_KEY_PREFIX, type Env } from './env';
import type { Recording, Tri } from './events';
import type { Frame, Interpreter } from './interpreter';
import { TensorFlowSemantics } from './tensorflow';
import { TF_CUSTOM_GRADIENT } from '../knowledge/tensorflow';
import { INPUT_EMBEDDINGS_METHOD } from '../knowledge/transformers';
import { TENSOR_AND_ARRAY_METHODS } from '../knowledge/tensor-methods';
import { DATA_SHADOWED_BUILTINS } from '../knowledge/python';
import { JaxSemantics } from './jax';
import {
  av,
  BOOL,
  BOTTOM,
  combineTensors,
  cutTensor,
  EMPTY_MODULE,
  EMPTY_TENSOR,
  isKind,
  join,
  joinModule,
  onlyKind,
  Kind,
  NONE,
  NUMBER,
  NO_IDS,
  seq,
  STRING,
  tensor,
  tensorFacts,
  union,
  minus,
  UNKNOWN,
  type AV,
  type Dims,
  type ModuleFacts,
  type TensorFacts,
  type IdSet,
  type DType,
} from './values';

export interface Args {
  pos: AV[];
  posNodes: PyNode[];
  kw: Map<string, AV>;
  kwNodes: Map<string, PyNode>;
  /** `*args` or `**kwargs` present: an argument not found may still be passed. */
  star: boolean;
  dstar: boolean;
  /**
   * For each `*xs` whose items are not known one by one (a list built with `append`/`extend`): the join of its
   * elements (UNKNOWN when not known either). `nn.Sequential(*layers)` is built from them.
   */
  starElems?: AV[];
}

/** Arguments that are only these positional values (a call the analysis makes itself: a closure, `map`'s function). */
export function positionalArgs(pos: AV[]): Args {
  return { pos, posNodes: [], kw: new Map(), kwNodes: new Map(), star: false, dstar: false };
}

export type ArgValue = { kind: 'found'; value: AV; node: PyNode | null } | { kind: 'absent' } | { kind: 'unknown' };

/** A torch integer or boolean dtype written in a cast's arguments (`torch.long`, `torch.int64`, `torch.cuda.LongTensor`, `'torch.LongTensor'`). */
/** torch.nn.utils.rnn's packing functions: their `PackedSequence`'s `.data` is the packed tensor, not `Tensor.data`. */
const PACKED_SEQUENCE_MAKERS = new Set(['pack_padded_sequence', 'pack_sequence', 'PackedSequence']);
const TORCH_INTEGER_DTYPE = /(?:^|[^\w.])torch\.(?:cuda\.)?(?:long|int(?:8|16|32|64)?|uint8|bool|short|LongTensor|IntTensor|ByteTensor|BoolTensor|ShortTensor|CharTensor)\b/;
const FLOAT_DTYPE = /(?:^|\W)(?:float(?:16|32|64)?|double|half|bfloat16|FloatTensor|DoubleTensor|HalfTensor|BFloat16Tensor)\b/;
const COMPLEX_DTYPE = /(?:^|\W)(?:complex(?:32|64|128)?|cfloat|cdouble)\b/;

/**
 * The dtype a cast's argument text names (`torch.long`, `torch.cuda.FloatTensor`, `np.float32`): `'int'`/`'bool'` for
 * PyTorch's integer types, `'float'`, `'complex'`, null for a dtype not told by its text (`x.dtype`, `dtype=d`), and
 * undefined when the text names none (a device, a tensor).
 */
function namedDtype(text: string): DType | undefined {
  if (TORCH_INTEGER_DTYPE.test(text)) return /bool/i.test(text) ? 'bool' : 'int';
  if (FLOAT_DTYPE.test(text)) return 'float';
  if (COMPLEX_DTYPE.test(text)) return 'complex';
  if (/\bdtype\b/.test(text)) return null;
  return undefined;
}

/**
 * A dtype written as an integer or boolean one (`jnp.int32`, `np.uint8`, `int`, `bool`, `'int64'`, `jnp.bool_`): its last
 * dotted component, or a string literal, names it. A variable holding a dtype (`self.dtype`) is not read.
 */
export const INTEGER_DTYPE_TEXT = /^(?:(?:[A-Za-z_]\w*\.)*(?:u?int(?:8|16|32|64)?|bool_?|integer)|(['"])(?:u?int(?:8|16|32|64)?|bool)\1)$/;

/** Method names of tensors, for receivers whose kind is not visible. */
const TENSOR_METHOD_NAMES = new Set([
  'to', 'cuda', 'cpu', 'float', 'double', 'half', 'long', 'int', 'view', 'reshape', 'view_as', 'flatten', 'squeeze', 'unsqueeze',
  'expand', 'expand_as', 'repeat', 'permute', 'transpose', 't', 'contiguous', 'clone', 'sum', 'mean', 'max', 'min', 'norm', 'pow',
  'exp', 'log', 'sqrt', 'abs', 'sigmoid', 'tanh', 'relu', 'softmax', 'log_softmax', 'size', 'dim', 'numel', 'item', 'tolist',
  'numpy', 'detach', 'type', 'type_as', 'masked_fill', 'gather', 'index_select', 'narrow', 'split', 'chunk', 'matmul', 'mm',
  'bmm', 'mul', 'add', 'sub', 'div', 'clamp', 'sign', 'argmax', 'argmin', 'std', 'var', 'cumsum', 'prod', 'flip',
]);

const PASS_THROUGH_BUILTINS = new Set(['sorted', 'reversed', 'iter', 'list', 'tuple', 'set', 'frozenset']);

/** Methods that take a stored value out of a container (list, dict, deque) without computing anything. */
const CONTAINER_TAKE = new Set(['pop', 'popleft', 'popitem', 'get', 'setdefault']);

export class LibrarySemantics {
  readonly tf: TensorFlowSemantics;
  readonly jax: JaxSemantics;
  /**
   * Risky sites (`TensorFacts.risky`) that are an operation with a NaN or infinite derivative at infinity applied
   * to a tensor holding a literal infinity: their backward is NaN at those entries whatever a `where` selects.
   */
  private readonly infSites = new Set<number>();
  /** PyTorch derivative sites (with a graph) whose result, in some calling context, was a constant without `grad_fn`. */
  private readonly constantSites = new Set<number>();
  /**
   * Sites of nonlinear operations (not model calls) that joined a graph's history because they save a tensor (`op`).
   * A derivative with a graph does not take them over: its backward runs through the derivative formulas, which may
   * read the operation's input (`x` of `x ** 3`) without running the operation's own node.
   */
  private readonly savingSites = new Set<number>();
  /**
   * Derivatives taken without a graph with respect to weights (parameters, or fast weights already moved by such a
   * derivative): the inner step of meta-learning. Fast weights made from them are weights, not data, wherever they go.
   */
  private readonly weightGradients = new Set<number>();

  constructor(readonly I: Interpreter) {
    this.tf = new TensorFlowSemantics(this);
    this.jax = new JaxSemantics(this);
  }

  get m() {
    return this.I.model;
  }

  text(n: PyNode): string {
    return this.m.textOf(n);
  }

  /**
   * The environment key under which a method keeps `self.<name>` flow-sensitively (see
   * Interpreter.forgetSelfAttributes), or null when `obj` is not the method's `self`.
   */
  selfKey(obj: PyNode, name: string, frame: Frame): string | null {
    return frame.cls && obj.type === 'identifier' && this.text(obj) === 'self' ? `${SELF_KEY_PREFIX}${name}` : null;
  }

  // ------------------------------------------------------------------------------------ arguments

  evalArgs(call: PyNode, env: Env, frame: Frame): Args {
    const out: Args = positionalArgs([]);
    const args = field(call, 'arguments');
    if (!args) return out;
    if (args.type === 'generator_expression') {
      out.pos.push(this.I.eval(args, env, frame));
      out.posNodes.push(args);
      return out;
    }
    for (const a of args.children) {
      if (!a.named || a.type === 'comment') continue;
      if (a.type === 'keyword_argument') {
        const n = field(a, 'name');
        const v = field(a, 'value');
        if (n && v) {
          out.kw.set(this.text(n), this.I.eval(v, env, frame));
          out.kwNodes.set(this.text(n), v);
        }
      } else if (a.type === 'list_splat') {
        out.star = true;
        const inner = namedChildren(a)[0];
        if (inner) {
          const v = this.I.eval(inner, env, frame);
          if (v.items) for (const it of v.items) {
            out.pos.push(it);
            out.posNodes.push(inner);
          }
          else (out.starElems ??= []).push(this.I.elementOf(v));
        }
      } else if (a.type === 'dictionary_splat') {
        out.dstar = true;
        const inner = namedChildren(a)[0];
        if (inner) {
          const v = this.I.eval(inner, env, frame);
          if (v.keys) for (const [k, x] of v.keys) out.kw.set(k, x);
        }
      } else {
        out.pos.push(this.I.eval(a, env, frame));
        out.posNodes.push(a);
      }
    }
    return out;
  }

  /** An argument by keyword, else by position in `params`. */
  arg(args: Args, name: string, params: readonly string[], offset = 0): ArgValue {
    const k = args.kw.get(name);
    if (k) return { kind: 'found', value: k, node: args.kwNodes.get(name) ?? null };
    const i = params.indexOf(name) - offset;
    if (i >= 0 && i < args.pos.length) return { kind: 'found', value: args.pos[i], node: args.posNodes[i] ?? null };
    if (args.dstar || (args.star && i >= 0)) return { kind: 'unknown' };
    return { kind: 'absent' };
  }

  /** The syntax node of an argument (keyword or positional), or null. */
  argNode(args: Args, name: string, params: readonly string[]): PyNode | null {
    const k = args.kwNodes.get(name);
    if (k) return k;
    const i = params.indexOf(name);
    return i >= 0 && i < args.posNodes.length ? args.posNodes[i] : null;
  }

  /** `y.sum()`, `y.mean()`, `torch.sum(y)`: a reduction over the whole batch (the sum trick). */
  /** A call whose callee names a tensor constructor (`torch.tensor(...)`, `utils.tensor_like(...)`, `as_tensor`). */
  private isTensorBuild(node: PyNode): boolean {
    const n = unparen(node);
    if (n.type !== 'call') return false;
    const fn = field(n, 'function');
    return !!fn && /(?:^|\.)(?:\w*tensor\w*|Tensor|FloatTensor|DoubleTensor)$/.test(this.text(fn));
  }

  /** `torch.ones(...)`/`ones_like`/`new_ones`, or a name whose every reaching binding is one. */
  private isOnes(node: PyNode): boolean {
    // Ones, or a one-hot/identity seed per sample (`zeros_like(x)` then `v[:, i] = 1`, `eye(n).repeat(b, 1)`).
    const ONES = /\bones(?:_like)?\b|new_ones|\bzeros_like\b|\beye\b|\bone_hot\b/;
    const n = unparen(node);
    if (n.type === 'identifier' && this.I.model.isUse(n)) {
      const bs = this.I.model.reachingBindings(n);
      return bs.length > 0 && bs.every((b) => b.value !== null && b.value !== undefined && ONES.test(this.text(b.value)));
    }
    return ONES.test(this.text(n));
  }

  isBatchSum(n0: PyNode): boolean {
    const n = unparen(n0);
    if (n.type !== 'call') return false;
    const fn = field(n, 'function');
    const args = field(n, 'arguments');
    const argc = args ? namedChildren(args).length : 0;
    if (fn && fn.type === 'attribute') {
      const attr = field(fn, 'attribute');
      const name = attr ? this.text(attr) : '';
      if ((name === 'sum' || name === 'mean') && argc === 0) return true;
      const obj = field(fn, 'object');
      if (obj && /^torch\.(?:sum|mean)$/.test(this.m.qualifiedName(fn) ?? '') && argc === 1) return true;
    }
    return false;
  }

  /** A boolean flag argument: true/false when literal or absent (→ `absent`), null when not visible. */
  flag(args: Args, name: string, params: readonly string[], absent: Tri, offset = 0): Tri {
    const a = this.arg(args, name, params, offset);
    if (a.kind === 'absent') return absent;
    if (a.kind === 'unknown') return null;
    const lit = a.value.lit;
    if (lit === true || lit === false) return lit;
    if (lit === null) return false; // None
    if (typeof lit === 'number') return lit !== 0;
    return null;
  }

  // ------------------------------------------------------------------------------------ calls

  call(node: PyNode, env: Env, frame: Frame): AV {
    this.currentTapes = env.tapes;
    const fnNode = field(node, 'function');
    if (!fnNode) return UNKNOWN;
    const f = unparen(fnNode);
    if (f.type === 'attribute') {
      const obj = field(f, 'object');
      const attr = field(f, 'attribute');
      if (obj && attr) {
        const receiver = this.I.eval(obj, env, frame);
        const name = this.text(attr);
        // A module-level name (`torch.autograd.grad`): a library function, not a method.
        if (receiver.kind === Kind.LIB) {
          // `models.Net(...)` of a workspace module imported whole: the module's own definition.
          const callee = receiver.keys?.get(name) ?? av({ kind: Kind.LIB, lib: receiver.lib.map((q) => canonical(`${q}.${name}`)) });
          this.I.note(f, callee);
          const args = this.evalArgs(node, env, frame);
          const r = this.invoke(callee, args, node, env, frame);
          this.noteLossCall(f, callee, r, node, frame);
          return r;
        }
        const args = this.evalArgs(node, env, frame);
        const r = this.method(receiver, name, args, node, obj, env, frame);
        if (/loss|criterion/i.test(name)) this.noteLossCall(f, receiver, r, node, frame);
        return r;
      }
    }
    const callee = this.I.eval(f, env, frame);
    const args = this.evalArgs(node, env, frame);
    const r = this.invoke(callee, args, node, env, frame);
    this.noteLossCall(f, callee, r, node, frame);
    return r;
  }

  /** A call that computes a loss (`F.mse_loss`, an `nn.MSELoss()` instance, `criterion(...)`, `loss_fn(...)`). */
  private noteLossCall(f: PyNode, callee: AV, result: AV, node: PyNode, frame: Frame): void {
    const name = f.type === 'identifier' ? this.text(f) : f.type === 'attribute' ? this.text(field(f, 'attribute') ?? f) : '';
    const isLoss =
      callee.lib.some((q) => LOSS_FUNCTION.test(q) || LOSS_MODULE.test(q) || /^tensorflow\.keras\.losses\./.test(q) || q === 'tensorflow.loss') ||
      (name !== '' && /loss|criterion/i.test(name) && !/^backward$/.test(name));
    if (isLoss && (result.t || isKind(result, Kind.UNKNOWN))) this.sink('loss-call', result, node, `the loss \`${this.text(f)}(...)\``, frame);
  }

  /** Call a value (any kinds it may be; results joined). */
  invoke(callee: AV, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    let out = BOTTOM;
    if (isKind(callee, Kind.FUNC)) {
      for (const fn of callee.fns) out = join(out, this.I.callFunction(fn, args.pos, args.kw, env, frame, node));
    }
    if (isKind(callee, Kind.CLASS)) {
      for (const cls of callee.classes) out = join(out, this.instantiate(cls, args, node, env, frame));
    }
    if (isKind(callee, Kind.INST)) {
      for (const cls of callee.classes) {
        const inst = this.I.instanceOf(cls);
        const isModule = this.I.isModuleClass(cls);
        const m = (isModule ? this.I.methodOf(cls, 'forward') ?? this.I.methodOf(cls, 'call') : null) ?? this.I.methodOf(cls, '__call__');
        if (m) {
          // A model put in eval mode (`model.eval()`) runs its layers in eval mode (BatchNorm uses running stats).
          const evalMode = callee.mod?.eval === true;
          if (evalMode) this.evalDepth++;
          let r: AV;
          try {
            r = this.I.callFunction({ node: m, self: inst }, args.pos, args.kw, env, frame, node);
          } finally {
            if (evalMode) this.evalDepth--;
          }
          const compiled = this.compiledDefinition(m);
          if (compiled !== null && r.t && requiresGradish(r.t)) r = withNoDouble(r, compiled);
          out = join(out, isModule ? this.moduleOutput(r, args, inst, node, env, frame) : r);
        } else out = join(out, this.unknownCall(args, node, env, frame, callee));
      }
    }
    if (isKind(callee, Kind.LIB) && callee.lib.includes(NAMEDTUPLE_CLASS)) {
      // An instance of a namedtuple class: a tuple of the arguments, its fields by name.
      const fields = (callee.items ?? []).map((f) => (typeof f.lit === 'string' ? f.lit : ''));
      const items = [...args.pos];
      for (const f of fields.slice(items.length)) items.push(args.kw.get(f) ?? UNKNOWN);
      const keys = new Map<string, AV>();
      fields.forEach((f, i) => {
        if (f && items[i]) keys.set(f, items[i]);
      });
      out = join(out, av({ kind: Kind.SEQ, items, elem: items.reduce<AV>((acc, x) => join(acc, x), BOTTOM), keys, site: node.id }));
    } else if (isKind(callee, Kind.LIB)) {
      for (const q of callee.lib) out = join(out, this.libraryCall(q, args, node, env, frame));
    }
    if (isKind(callee, Kind.LIBINST)) out = join(out, this.callLibInstance(callee, args, node, env, frame));
    if (isKind(callee, Kind.UNKNOWN) || callee.kind === 0) out = join(out, this.unknownCall(args, node, env, frame, callee));
    if (out === BOTTOM) out = UNKNOWN;
    return out;
  }

  /** The output of a local module's `forward`: a model call (derivative terms of its inputs become data). */
  private moduleOutput(r0: AV, args: Args, callee: AV, node: PyNode, env: Env, frame: Frame): AV {
    // The graph of this call is its own (the layers' call sites inside `forward` are shared by every call).
    const inHist = combineTensors(args.pos.map((a) => a.t)).hist;
    // Only when the output visibly requires grad (the model's trainable parameters, a leaf): a frozen feature extractor
    // applied to an input that only an unseen caller could make require grad (`vgg(style)` before a style-transfer
    // loop) records no graph that a backward could free.
    const r = r0.t && visiblyRequiresGrad(r0.t) ? av({ ...r0, t: tensorFacts({ ...r0.t, hist: union(inHist, [node.id]) }) }) : r0;
    this.recordModelCall({ node, callee, args: args.pos, result: r, recording: env.recording, fn: frame.fn });
    return r;
  }

  instantiate(cls: import('./values').ClassRef, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    const inst = this.I.instanceOf(cls);
    const init = this.I.methodOf(cls, '__init__');
    if (init) this.I.callFunction({ node: init, self: inst }, args.pos, args.kw, env, frame, node);
    return inst;
  }

  /**
   * A call of something unknown (a parameter, an imported function of another file): it may be a model.
   * Its result may depend on the tensor arguments and on parameters (this call's site), opaquely.
   */
  unknownCall(args: Args, node: PyNode, env: Env, frame: Frame, callee: AV, ownGraph = true): AV {
    this.callbacks(args, node, env, frame);
    // `model(input)` in a fragment: `input` is the data defined elsewhere, not the builtin.
    const parts = [...args.pos, ...args.kw.values()].map((a) => (a.kind === Kind.LIB && a.lib.length === 1 && DATA_SHADOWED_BUILTINS.has(a.lib[0]!) ? UNKNOWN : a));
    // A helper we cannot see whose name says it detaches or copies (`repackage_hidden(h)`, `detach_all(x)`).
    const fnNode = field(node, 'function');
    const calleeName = this.lastName(fnNode);
    if (/detach|repackage|numpy|to_np|tolist/i.test(calleeName)) return av({ kind: Kind.UNKNOWN, t: this.cutOf(parts, node), site: node.id });
    // Tensors passed in containers count too (`f(losses)` with a list of per-sample losses).
    const inContainer = (a: AV): boolean => isKind(a, Kind.SEQ) && !!(a.elem?.t || a.items?.some((x) => x.t));
    const tensorish = parts.filter((a) => isKind(a, Kind.TENSOR) || isKind(a, Kind.UNKNOWN) || inContainer(a));
    // A tensor factory we cannot see asked for a leaf (`ptu.zeros(1, requires_grad=True)`, a wrapper of `torch.zeros`):
    // a fresh leaf that requires grad, not data.
    if (TENSOR_FACTORY_NAME.test(calleeName) && args.kw.get('requires_grad')?.lit === true) {
      return av({ kind: Kind.TENSOR, t: tensorFacts({ leafOf: node.id, dtype: 'float' }), site: node.id });
    }
    // A callable the analysis cannot resolve, given literal numbers as data and `requires_grad=True` (`T(660.0,
    // requires_grad=True)` with `T` an alias of `torch.tensor` imported in a way the file does not show): only tensor
    // constructors take both, so it makes a leaf of those numbers, as `torch.tensor` does.
    const data0 = args.pos[0];
    const literalData = (v: AV | undefined): boolean =>
      !!v && !v.t && (onlyKind(v, Kind.NUMBER) ? typeof v.lit === 'number' : onlyKind(v, Kind.SEQ) && !!v.items && v.items.length > 0 && v.items.every((x) => onlyKind(x, Kind.NUMBER) && typeof x.lit === 'number'));
    if (isKind(callee, Kind.UNKNOWN) && callee.kind === Kind.UNKNOWN && args.pos.length === 1 && literalData(data0) && args.kw.get('requires_grad')?.lit === true) {
      return this.markLeaf(av({ kind: Kind.TENSOR, t: tensorFacts({ dtype: 'float' }), site: node.id }), node, 'factory', node, env, frame);
    }
    if (tensorish.length === 0) {
      // Only NumPy arrays cut from tensors (`neighbor_list(np.asarray(pos))`): whatever the call computes from
      // them has no graph, but may still depend on the tensors; their cuts say where the graph was lost.
      const cut = parts.filter((a) => isKind(a, Kind.ARRAY) && a.t && a.t.cuts.length > 0);
      if (cut.length === 0) return UNKNOWN;
      return av({ kind: Kind.UNKNOWN, t: tensorFacts({ cuts: combineTensors(cut.map((a) => a.t)).cuts, opaque: true }), site: node.id });
    }
    const combined = combineTensors(tensorish.map((a) => (inContainer(a) && !a.t ? tensorOfValue(a) : (a.t ?? tensorFacts({ opaque: isKind(a, Kind.UNKNOWN) })))));
    // Given a function of this file (`cond(x > 0, lambda _: jnp.log(x), ...)`), the call may return what that function
    // computes from the values it closes over: a cut of the other arguments is not the result's only path to them.
    const base = parts.some((a) => isKind(a, Kind.FUNC)) && combined.cuts.length > 0 ? tensorFacts({ ...combined, cuts: [] }) : combined;
    // A loss function made elsewhere (`loss_fn(pred, y)`, `self.criterion(out, t)`): a differentiable function of
    // its arguments with no parameters of its own, and no model's call.
    const owner = fnNode?.type === 'attribute' ? field(fnNode, 'object') : null;
    const ownerName = this.lastName(owner);
    if (LOSS_CALLABLE_NAME.test(calleeName) && !MODEL_LIKE_NAME.test(ownerName) && !this.passesModel(args)) {
      // Which loss it is is not known: taken to have curvature (most do), so a second derivative through it is not
      // taken to be zero.
      const curved = dependsOnInput(base) ? union(base.curved, [node.id]) : base.curved;
      const t = this.underRecording(tensorFacts({ ...base, curved, dGraph: NO_IDS, dNoGraph: NO_IDS, order: 0, dims: null, tapes: union(base.tapes, env.tapes) }), env);
      return av({ kind: Kind.TENSOR, t, site: node.id });
    }
    // Taking a stored value out of a container (`ctx.saved.pop()`, `cache.get(k)`) computes nothing: the
    // value was made elsewhere, possibly with recording on, and it is no model's fresh output.
    if (fnNode?.type === 'attribute' && CONTAINER_TAKE.has(calleeName)) return av({ kind: Kind.UNKNOWN, t: tensorFacts({ ...base, opaque: true, dims: null }), site: node.id });
    // A model of unknown class whose parameters the file froze (`.parameters()` of it names its site).
    // `irreps.randn(batch, -1)`, `space.sample_zeros(n)`: a method named for making data makes fresh values, no model's output.
    // `optimizer_cls(objective)`, `step_class(eps=eps)`: a class held in a variable (by the Python convention of its
    // name) makes an instance, not a model's output: no parameters of its own, no graph of its own.
    const notModelOutput = DATA_MAKER_NAME.test(calleeName) || CLASS_HELD_NAME.test(calleeName);
    const own = notModelOutput ? NO_IDS : callee.site >= 0 && env.frozen.includes(callee.site) ? this.trainable([callee.site], env, node, frame) : [node.id];
    let t = tensorFacts({
      ...base,
      params: union(base.params, own),
      dGraph: NO_IDS,
      // A model of unseen code run with fast weights (`self.net(x, fast_weights)`, `learner(x, params=new_params)`):
      // the weights' graphless inner-step derivative reaches its output. Input derivatives (an attack's step) are data.
      dNoGraph: base.dNoGraph.filter((id) => this.weightGradients.has(id)),
      order: 0,
      opaque: true,
      dims: null,
      // A class name (`LinearValue(...)`, `OmniglotNShot(...)`, `l2l.algorithms.MAML(...)`) makes an object,
      // not a model's output: no graph of this call for a backward to free (AGL019). Single capitals and
      // names with underscores (`G(z)`, `D_A(x)`) are models.
      hist: !ownGraph || notModelOutput || CONSTRUCTOR_NAME.test(calleeName) || FACTORY_NAME.test(calleeName) || !this.mayRunModel(fnNode, args) ? base.hist : union(base.hist, [node.id]),
      // A model's weights are Variables: tapes recording here record its output.
      tapes: union(base.tapes, env.tapes),
    });
    t = this.underRecording(t, env);
    const r = av({ kind: Kind.TENSOR | Kind.UNKNOWN, t, site: node.id });
    if (fnNode) this.calleeTexts.set(node.id, this.text(fnNode));
    this.recordModelCall({ node, callee, args: args.pos, result: r, recording: env.recording, fn: frame.fn });
    return r;
  }

  /**
   * Whether a call of unseen code may run a model, so that its result has a graph of its own that a backward can free:
   * a callee some part of whose dotted name is model-like (`self.critic(...)`, `self.actor.action_log_prob(...)`,
   * `net(x)`), or one given a tensor the file shows (data, a leaf, a model's output). A schedule or a buffer read with
   * configuration only (`self.clip_range(self._progress)`, `self.replay_buffer.sample(batch_size, env=self._env)`)
   * computes no model's output.
   */
  private mayRunModel(fnNode: PyNode | null, args: Args): boolean {
    if (!fnNode) return true;
    const parts = this.text(fnNode).split('.');
    if (parts.some((p) => p !== 'self' && MODEL_LIKE_NAME.test(p))) return true;
    return [...args.pos, ...args.kw.values()].some((a) => !!a.t && !a.t.opaque && isKind(a, Kind.TENSOR));
  }

  /** The callee text of calls of unknown models, by call site (to match `optimizer_G` with `netG(...)`). */
  readonly calleeTexts = new Map<number, string>();

  /**
   * `opt.step()` on an optimizer the analysis cannot see: the parameters it updates are guessed from its name
   * (`optim_VAE` → calls of `...VAE(...)`, `optimizerG` → `netG(...)`); a plain `optimizer` updates all.
   */
  unknownOptimizerStep(recvText: string, node: PyNode, env: Env, frame: Frame): void {
    const base = recvText.split('.').pop() ?? recvText;
    const m = /^(?:optimi[sz]er|optim|opt)_?(\w*)$/i.exec(base) ?? /^(\w*?)_?(?:optimi[sz]er|optim|opt)$/i.exec(base);
    if (!m) return;
    const name = m[1];
    if (!name) {
      // `self.critic.optimizer.step()`, `policy.optimizer.step()`: an optimizer kept on an object steps that object's
      // parameters, the calls through it (`self.critic(...)`, `self.policy.evaluate_actions(...)`); a plain `optimizer`
      // steps them all.
      const owner = recvText.split('.').slice(0, -1).filter((p) => p !== 'self').pop();
      if (!owner || !/^\w+$/.test(owner)) return this.stepParameters(null, node, env, frame);
      const owned = [...this.calleeTexts].filter(([, text]) => text.split('.').includes(owner)).map(([id]) => id);
      if (owned.length > 0) this.stepParameters(owned, node, env, frame);
      return;
    }
    // `optimizer_G` → `netG(...)`; `optimizer_disc` → `feature_discriminator(...)` (a word of the callee's name that the
    // optimizer's suffix abbreviates, three letters or more).
    const lower = name.toLowerCase();
    const names = (text: string): boolean => {
      const last = text.split('.').pop() ?? text;
      return last.endsWith(name) || (lower.length >= 3 && last.toLowerCase().split('_').some((w) => w.startsWith(lower)));
    };
    const sites = [...this.calleeTexts].filter(([, text]) => names(text)).map(([id]) => id);
    if (sites.length > 0) this.stepParameters(sites, node, env, frame);
  }

  /**
   * Functions of this file passed to code we cannot see (`gt.raises(lambda: ...)`, `map(f, xs)`, a
   * trainer's callback) are run with unknown arguments, so that what happens inside them is seen.
   */
  private callbacks(args: Args, node: PyNode, env: Env, frame: Frame): void {
    for (const a of [...args.pos, ...args.kw.values()]) {
      if (!isKind(a, Kind.FUNC)) continue;
      for (const fn of a.fns) this.I.callFunction(fn, null, new Map(), env, frame, node);
    }
  }

  /** The last dotted name of an expression's text (`exp` of `jnp.exp`, `sqrt` of `x.sqrt`), '' for none. */
  lastName(n: PyNode | null | undefined): string {
    return n ? this.text(n).split('.').pop() ?? '' : '';
  }

  /**
   * The site of an operation whose derivative is infinite or NaN somewhere (sqrt or log at 0, division
   * by something that can be 0, exp overflow), unless its argument was made safe first: the output of a
   * `where`/`clamp`/`maximum` (the double-where idiom), or `x + eps`.
   */
  riskySite(arg: AV | undefined, node: PyNode): number[] {
    // A root, logarithm, (JAX/TensorFlow) norm or division of a pairwise difference of a tensor with itself: 0 on
    // the diagonal (a point with itself), the operation's singular point.
    if (this.onDiagonal(node)) {
      this.zeroSites.add(node.id);
      this.recordGuardOnto(node, node, 'diagonal');
      return [node.id];
    }
    const singular = arg?.t ? this.singularZeros(arg.t, node) : NO_IDS;
    if (singular.length > 0 && this.onDiagonal(node, arg)) return this.diagonalSites(node, singular);
    if (arg && arg.site >= 0) {
      const src = this.m.tree.nodes[arg.site];
      // `exp` of a visibly non-positive argument (a Gaussian `exp(-(r - mu) ** 2 / (2 * s ** 2))`) is at most 1,
      // with a derivative at most 1 in size: it cannot overflow.
      const expFn = node.type === 'call' ? field(node, 'function') : null;
      if (src && expFn && /^(?:exp|exp2)$/.test(this.lastName(expFn)) && this.signOf(src) === -1) return [];
      // `sqrt(1 - c ** 2)` of a cosine `c` (a sine from a cosine): 0 where `|c|` reaches 1, which a cosine of two
      // normalized vectors does when they are parallel (what a margin loss drives them to).
      // `log(1 - t ** 2)` of a `tanh` output (the tanh-squash correction of a policy's log-density), -inf where tanh rounds
      // to exactly ±1 (from |u| ≈ 9 on in float32).
      if (src && expFn && /^(?:sqrt|rsqrt|log|log2|log10)$/.test(this.lastName(expFn)) && this.oneMinusSquaredCosine(src, /^log/.test(this.lastName(expFn)))) {
        this.recordGuardOnto(node, node, 'cosine');
        return [node.id];
      }
      if (src && src.type === 'call') {
        const fn = field(src, 'function');
        const name = this.lastName(fn);
        // acos/asin (infinite derivative) and atanh (infinite value and derivative: the log-density of a tanh-squashed
        // action at ±1) are singular at ±1: a clamp to exactly [-1, 1] puts the values it excludes there.
        const opFn = node.type === 'call' ? field(node, 'function') : null;
        const op = this.lastName(opFn);
        const arc = /^(?:acos|asin|arccos|arcsin|atanh|arctanh)$/.test(op);
        if (arc && /^(?:clamp|clip|clip_by_value|hardtanh)$/.test(name)) {
          if (!this.unitGuard(src, name)) return [];
          this.recordGuardOnto(src, node, 'unit');
          return [node.id];
        }
        if (/^(?:where|clamp|clip|clamp_min|maximum|fmax)$/.test(name) && this.zeroGuard(src, name) && /^(?:sqrt|rsqrt|log|log2|log10|reciprocal)$/.test(op)) {
          this.recordGuardOnto(src, node, 'zero');
          return [node.id];
        }
        // `n / where(n == 0, 1, d)`: the guard of the divisor tests the numerator and keeps another value, which it
        // leaves at 0 where that is 0 and the numerator is not.
        if (name === 'where' && node.type === 'binary_operator' && this.guardTestsNumerator(node, src)) {
          this.recordGuardOnto(src, node, 'other');
          return [node.id];
        }
        if (/^(?:where|clamp|clip|clamp_min|maximum|fmax|softplus|abs|square|exp|sigmoid)$/.test(name) && !this.zeroGuard(src, name)) return [];
        // `1 / sqrt(where(mask, 1, d2))`: the square root of a guarded value is as far from 0 as the guard keeps it.
        if (name === 'sqrt' && this.guardedExpr(namedChildren(field(src, 'arguments') ?? src)[0])) return [];
      }
      if (src && src.type === 'binary_operator' && /^\s*\S.*[+]\s*[\d.]+(?:e-?\d+)?\s*$/.test(this.text(src))) return [];
      // `x + eps` with `eps` a positive constant: a parameter's default (`eps: float = 1e-8`), a local constant,
      // `torch.finfo(dtype).eps`/`.tiny`.
      if (src && src.type === 'binary_operator' && this.text(field(src, 'operator') ?? src) === '+' && this.positiveConstant(field(src, 'right'))) return [];
    }
    return [node.id];
  }

  /**
   * The sign an expression visibly has: 1 when it cannot be negative, -1 when it cannot be positive, 0 when the
   * code does not show it. Squares (`x ** 2` with an even literal exponent, `square`), `abs`, `exp`, `sqrt`, norms
   * and positive constants are non-negative; a minus flips a sign; products, quotients and sums combine them.
   */
  signOf(n: PyNode | null | undefined, depth = 0): -1 | 0 | 1 {
    if (!n || depth > 12) return 0;
    const x = unparen(n);
    switch (x.type) {
      case 'integer':
      case 'float':
        return 1; // a literal is never negative (a minus is a unary operator)
      case 'identifier': {
        if (this.positiveConstant(x)) return 1;
        // A name bound once to a value of visible sign (`r = torch.sqrt(d2)`).
        if (!this.I.model.isUse(x)) return 0;
        const bs = this.I.model.reachingBindings(x);
        return bs.length === 1 && (bs[0].kind === 'assign' || bs[0].kind === 'walrus') && bs[0].path.length === 0 && bs[0].value ? this.signOf(bs[0].value, depth + 4) : 0;
      }
      case 'unary_operator': {
        const op = this.text(field(x, 'operator') ?? x);
        const s = this.signOf(field(x, 'argument'), depth + 1);
        return op === '-' ? ((-s) as -1 | 0 | 1) : op === '+' ? s : 0;
      }
      case 'binary_operator': {
        const op = this.text(field(x, 'operator') ?? x);
        const right = field(x, 'right');
        if (op === '**') return right && right.type === 'integer' && Number(this.text(right)) % 2 === 0 ? 1 : 0;
        if (op === '*') {
          // `x * x`, `-x * x`: a square, negated once per minus sign.
          const bare = (e: PyNode | null): [string, number] => {
            let u = e ? unparen(e) : null;
            let sign = 1;
            while (u && u.type === 'unary_operator' && this.text(field(u, 'operator') ?? u) === '-') {
              sign = -sign;
              const inner = field(u, 'argument');
              u = inner ? unparen(inner) : null;
            }
            return [u ? this.text(u) : '', sign];
          };
          const [l, ls] = bare(field(x, 'left'));
          const [r, rs] = bare(right);
          if (l !== '' && l === r) return (ls * rs) as -1 | 1;
        }
        const a = this.signOf(field(x, 'left'), depth + 1);
        if (a === 0) return 0;
        const b = this.signOf(right, depth + 1);
        if (op === '*' || op === '/') return (a * b) as -1 | 0 | 1;
        if (op === '+') return a === b ? a : 0;
        if (op === '-') return a === -b ? a : 0;
        return 0;
      }
      case 'call': {
        const fn = field(x, 'function');
        const name = this.lastName(fn);
        return /^(?:abs|absolute|square|exp|exp2|sqrt|norm|softplus|sigmoid)$/.test(name) ? 1 : 0;
      }
      default:
        return 0;
    }
  }

  /** A visibly positive constant: a literal, a name bound only to one (or a parameter whose default is one), `finfo(...).eps`. */
  private positiveConstant(n: PyNode | null | undefined, depth = 0, max = Infinity): boolean {
    if (!n || depth > 3) return false;
    const x = unparen(n);
    if (x.type === 'integer' || x.type === 'float') {
      const v = Number(this.text(x).replace(/_/g, ''));
      return v > 0 && v <= max;
    }
    if (x.type === 'attribute') return /\bfinfo\(.*\)\.(?:eps|tiny)$/s.test(this.text(x));
    if (x.type !== 'identifier' || !this.I.model.isUse(x)) return false;
    const bs = this.I.model.reachingBindings(x);
    return bs.length > 0 && bs.every((b) => {
      if (b.kind === 'param') {
        const p = b.target.parent;
        return !!p && /default_parameter$/.test(p.type) && this.positiveConstant(field(p, 'value'), depth + 1, max);
      }
      return (b.kind === 'assign' || b.kind === 'walrus') && b.path.length === 0 && this.positiveConstant(b.value, depth + 1, max);
    });
  }

  /**
   * Whether `op` is singular at 0 (`sqrt`, `rsqrt`, `log`, a division, a JAX or TensorFlow norm — PyTorch's norm has a
   * zero subgradient there) and its operand is 0 on the diagonal of a pairwise matrix (`zeroOnDiagonal`).
   */
  private onDiagonal(op: PyNode, value?: AV): boolean {
    let operand: PyNode | null = null;
    if (op.type === 'binary_operator') {
      if (!/^\/\/?$/.test(this.text(field(op, 'operator') ?? op))) return false;
      operand = field(op, 'right');
    } else if (op.type === 'call') {
      const fn = field(op, 'function');
      const name = this.lastName(fn);
      if (!/^(?:sqrt|rsqrt|log|log2|log10|reciprocal|norm|vector_norm|pow|power|float_power)$/.test(name)) return false;
      if (/^(?:norm|vector_norm)$/.test(name)) {
        const q = (fn && this.m.qualifiedName(fn)) ?? '';
        if (!/^(?:jax\.numpy|tensorflow)\./.test(q)) return false;
      }
      // `torch.pow(d2, 0.5)`, `d2.pow(-0.5)`: a root or an inverse power, singular at 0 (not `pow(d, 2)`).
      if (/^(?:pow|power|float_power)$/.test(name) && !this.singularExponent(op)) return false;
      operand = this.singularOperand(op);
    }
    // A gradient hook on the operand (`d2.register_hook(zero_the_diagonal)`) replaces what reaches it: the code
    // handles the singular entries itself.
    if (operand && this.hooked(operand)) return false;
    // The operand's value is (up to a square, a sum over the coordinates, a norm) a difference of a tensor with
    // itself, made elsewhere: in a caller that passed `r[:, None]` and `r[None]` to this helper's parameters.
    return !!operand && (this.zeroOnDiagonal(operand) || (value?.t?.zeros.length ?? 0) > 0 || (value?.t?.zeroData.length ?? 0) > 0);
  }

  /** A power call's exponent is a literal below 1 and not 0 (`pow(d2, 0.5)`, `x.pow(-0.5)`): singular at 0. */
  private singularExponent(op: PyNode): boolean {
    const fn = field(op, 'function');
    const items = namedChildren(field(op, 'arguments') ?? op);
    const kw = items.find((c) => c.type === 'keyword_argument' && /^(?:exponent|x2)$/.test(this.text(field(c, 'name') ?? c)));
    const positional = items.filter((c) => c.type !== 'keyword_argument');
    const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
    const e = this.numberLiteral(kw ? field(kw, 'value') : method ? positional[0] : positional[1]);
    return e !== null && e < 1 && e !== 0;
  }

  /**
   * Whether a gradient hook is registered on `n`'s value (`n.register_hook(...)` on a name bound to it): the hook
   * replaces the gradient that reaches it, so a singular derivative behind it may be handled (a hook that zeroes the
   * diagonal's gradient before it flows on).
   */
  private hooked(n: PyNode): boolean {
    const x = unparen(n);
    if (x.type !== 'identifier' || !this.I.model.isUse(x)) return false;
    this.I.model.probeWord('register_hook');
    return this.I.model.reachingBindings(x).some((b) =>
      this.I.model.usesOf(b).some((u) => u.parent?.type === 'attribute' && field(u.parent, 'object') === u && this.text(field(u.parent, 'attribute') ?? u) === 'register_hook'),
    );
  }

  /**
   * An operation singular at 0 applied to a value that is 0 where a tensor meets itself, in this calling context (the
   * value's `zeros`): recorded under the sites of those differences, not under the operation alone, so that only a
   * derivative of this context's result (whose `risky` facet carries them) reports it — a helper also called with two
   * different tensors is not reported for those calls.
   */
  /** The operations recorded at a zero the code makes (`diagonalSites`, a `'diagonal'` guard record). */
  private readonly zeroSites = new Set<number>();

  diagonalSites(op: PyNode, zeros: readonly number[]): number[] {
    this.zeroSites.add(op.id);
    this.I.record('wheres', { node: op, risky: [...zeros], atInf: [], fn: null, onto: 'diagonal' }, (o, e) => {
      const x = o as { risky: readonly number[] };
      x.risky = [...new Set([...x.risky, ...(e as { risky: readonly number[] }).risky])];
    });
    return [op.id, ...zeros];
  }

  /** Sites of arrays whose rows, as `vmap` samples, were subtracted from each other (`selfDifference`). */
  private readonly sampleZeros = new Set<number>();

  /** Of the `zeroData` sites, data with only some entries 0 (`jnp.array([0.4, 0.0])`): a sum or norm of it is not 0. */
  private readonly partialZeroData = new Set<number>();

  /** All-zero data (`jnp.zeros(...)`), or data with a 0 entry (`partial`), made at `node`: its `zeroData` marker. */
  zeroDataSite(node: PyNode, partial = false): readonly number[] {
    if (partial) this.partialZeroData.add(node.id);
    return [node.id];
  }

  /**
   * The markers at which `op`, singular at 0, is singular for autodiff on `t`: the differences of `zeros`, and zero data
   * when `t` depends on a differentiated input (the norm of constant zeros is never differentiated); for a norm (singular
   * only where the whole vector is 0), not data with only some entries 0.
   */
  singularZeros(t: TensorFacts, op: PyNode): readonly number[] {
    if (t.zeroData.length === 0 || (!dependsOnInput(t) && t.params.length === 0)) return t.zeros;
    const norm = op.type === 'call' && /^(?:norm|vector_norm)$/.test(this.lastName(field(op, 'function')));
    return union(t.zeros, norm ? t.zeroData.filter((id) => !this.partialZeroData.has(id)) : t.zeroData);
  }

  /**
   * The zero data a call's result keeps from its first operand (`TensorFacts.zeroData`): elementwise functions that keep
   * a 0 (`abs`, `square`, `sqrt`, a positive power, reshapes), and, of all-zero data, any sum, mean or norm.
   */
  keptZeroData(node: PyNode, first: AV | undefined): readonly number[] {
    const z = first?.t?.zeroData;
    if (!z || z.length === 0 || node.type !== 'call') return NO_IDS;
    const fn = field(node, 'function');
    const name = this.lastName(fn);
    if (/^(?:abs|absolute|square|sqrt|cbrt|sin|tan|sinh|tanh|arcsin|arctan|relu|expand_dims|unsqueeze|reshape|view|flatten|squeeze|ravel|transpose|atleast_1d|atleast_2d)$/.test(name)) return z;
    if (/^(?:pow|power)$/.test(name)) {
      const items = namedChildren(field(node, 'arguments') ?? node).filter((c) => c.type !== 'keyword_argument');
      const e = this.numberLiteral(items[1]);
      return e !== null && e > 0 ? z : NO_IDS;
    }
    if (/^(?:sum|mean|norm|vector_norm|reduce_sum|reduce_mean|global_norm)$/.test(name)) {
      const all = z.filter((id) => !this.partialZeroData.has(id));
      return all.length === z.length ? z : all;
    }
    return NO_IDS;
  }


  /** `r`, a broadcast view of `of` (`TensorFacts.viewOf`). */
  private viewed(r: AV, of: AV): AV {
    return r.t && of.site >= 0 ? av({ ...r, t: tensorFacts({ ...r.t, viewOf: of.site }) }) : r;
  }

  /** The axes a broadcast view adds, as written: `[:, None]` of `x[:, None]`, `1` of `x.unsqueeze(1)`, `n, 1, -1` of a view. */
  private viewShape(site: number): string | null {
    const n = this.m.tree.nodes[site];
    if (!n) return null;
    if (n.type === 'subscript') return n.children.filter((c) => c.field === 'subscript').map((c) => this.text(c).replace(/\s+/g, '')).join(',');
    if (n.type !== 'call') return null;
    const fn = field(n, 'function');
    const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
    const items = namedChildren(field(n, 'arguments') ?? n);
    return (method ? items : items.slice(1)).map((c) => this.text(c).replace(/\s+/g, '')).join(',');
  }

  /**
   * The differences of a tensor with itself that `a - b` is: its own site when the two operands are broadcast views of
   * one tensor (`x[:, None] - x[None]`), seen in their text or, for names bound elsewhere (a helper's parameters
   * `ri - rj` given `jnp.expand_dims(r, 0)` and `jnp.expand_dims(r, 1)` by its caller), in the expressions that made their
   * values.
   */
  selfDifference(node: PyNode, l: AV, r: AV): readonly number[] {
    const ln = field(node, 'left');
    const rn = field(node, 'right');
    if (!ln || !rn) return NO_IDS;
    // Found in the operands' own text, the difference is one whatever the calling context: its own site. Found in the
    // values a caller passed, it is one in this context only: the sites of those values (each caller's own), so that a
    // derivative of another caller's result does not carry them.
    const baseOf = (n: PyNode, v: AV): { base: string; text: string; own: boolean } | null => {
      const own = this.broadcastBase(n);
      if (own !== null) return { base: own, text: this.text(unparen(n)), own: true };
      const made = v.site >= 0 && v.site !== n.id ? this.m.tree.nodes[v.site] : undefined;
      if (!made || unparen(n).type !== 'identifier') return null;
      const b = this.broadcastBase(made);
      return b !== null ? { base: b, text: this.text(unparen(made)), own: false } : null;
    };
    const passed = (): readonly number[] => [l.site, r.site];
    // `x[:, None] - x`, `x.unsqueeze(1) - x`: a broadcast view of a tensor against the tensor itself.
    if (this.viewMinusBase(ln, rn)) return [node.id];
    // `a - b` where `vmap` made `a` and `b` rows of one array (`vmap(vmap(f, (None, 0)), (0, None))(x, x)`): 0 where
    // the two rows are the same one.
    const sample = this.sampleOf(l);
    if (sample !== null && sample === this.sampleOf(r)) {
      this.sampleZeros.add(sample);
      return [sample];
    }
    const a = baseOf(ln, l);
    const b = a ? baseOf(rn, r) : null;
    if (a && b && a.base === b.base && a.text !== b.text) return a.own && b.own ? [node.id] : passed();
    // Two views of one value made apart (`f(feats, feats)` with `x = x.view(n, 1, -1)` and `y = y.view(1, n, -1)`).
    const wl = l.t?.viewOf ?? null;
    if (wl !== null && wl === (r.t?.viewOf ?? null) && l.site !== r.site) {
      const sl = this.viewShape(l.site);
      const sr = this.viewShape(r.site);
      if (sl !== null && sr !== null && sl !== sr) return passed();
    }
    // `pos[row] - pos[col]` over the two rows of an edge list that has self loops: 0 on each self loop.
    const made = (n: PyNode, v: AV): PyNode => {
      const u = unparen(n);
      const m = u.type === 'identifier' && v.site >= 0 && v.site !== n.id ? this.m.tree.nodes[v.site] : undefined;
      return m && unparen(m).type === 'subscript' ? unparen(m) : u;
    };
    const el = made(ln, l);
    const er = made(rn, r);
    if (el.type !== 'subscript' || er.type !== 'subscript') return NO_IDS;
    const vl = field(el, 'value');
    const vr = field(er, 'value');
    const il = el.children.filter((c) => c.field === 'subscript');
    const ir = er.children.filter((c) => c.field === 'subscript');
    if (!vl || !vr || il.length !== 1 || ir.length !== 1 || this.text(vl) !== this.text(vr) || !/^(?:identifier|attribute)$/.test(unparen(vl).type)) return NO_IDS;
    const rl = this.edgeRow(il[0]);
    const rr = rl ? this.edgeRow(ir[0]) : null;
    if (!rl || !rr || rl.graph !== rr.graph || rl.row === rr.row) return NO_IDS;
    return el === unparen(ln) && er === unparen(rn) ? [node.id] : passed();
  }

  /**
   * Which row of an edge list with self loops an index expression is: `edge_index[0]`, `row` of `row, col = edge_index`,
   * `src` of `src = edge_index[0]`, where `edge_index` comes from `add_self_loops`/`add_remaining_self_loops` (the first
   * element of their pair) or `radius_graph`/`knn_graph` with a literal `loop=True`. The graph is named by its site.
   */
  private edgeRow(n: PyNode, depth = 0): { graph: number; row: number } | null {
    if (depth > 4) return null;
    const x = unparen(n);
    if (x.type === 'subscript') {
      const subs = x.children.filter((c) => c.field === 'subscript');
      const k = subs.length === 1 ? this.numberLiteral(subs[0]) : null;
      const v = field(x, 'value');
      const g = v && (k === 0 || k === 1) ? this.selfLoopGraph(v, depth + 1) : null;
      return g !== null && k !== null ? { graph: g, row: k } : null;
    }
    if (x.type !== 'identifier' || !this.I.model.isUse(x)) return null;
    const bs = this.I.model.reachingBindings(x);
    if (bs.length !== 1 || bs[0].kind !== 'assign' || !bs[0].value) return null;
    const { path, value } = bs[0];
    if (path.length === 0) return this.edgeRow(value, depth + 1);
    if (path.length !== 1) return null;
    // `row, col = edge_index`, `src, dst = edge_index[0], edge_index[1]`.
    const v = unparen(value);
    if (/^(?:expression_list|tuple)$/.test(v.type)) {
      const item = namedChildren(v)[path[0]];
      return item ? this.edgeRow(item, depth + 1) : null;
    }
    const g = path[0] <= 1 ? this.selfLoopGraph(v, depth + 1) : null;
    return g !== null ? { graph: g, row: path[0] } : null;
  }

  /** The site of an edge list with self loops that `n` is (see `edgeRow`), or null. */
  private selfLoopGraph(n: PyNode, depth = 0): number | null {
    if (depth > 6) return null;
    const x = unparen(n);
    const adds = (c: PyNode): boolean => c.type === 'call' && /^(?:add_self_loops|add_remaining_self_loops)$/.test(this.lastName(field(c, 'function')));
    if (x.type === 'subscript') {
      const v = field(x, 'value');
      const subs = x.children.filter((c) => c.field === 'subscript');
      return v && adds(unparen(v)) && subs.length === 1 && this.numberLiteral(subs[0]) === 0 ? unparen(v).id : null;
    }
    if (x.type === 'call') {
      if (!/^(?:radius_graph|knn_graph)$/.test(this.lastName(field(x, 'function')))) return null;
      const loop = namedChildren(field(x, 'arguments') ?? x).find((c) => c.type === 'keyword_argument' && this.text(field(c, 'name') ?? c) === 'loop');
      return loop && this.text(field(loop, 'value') ?? loop) === 'True' ? x.id : null;
    }
    if (x.type !== 'identifier' || !this.I.model.isUse(x)) return null;
    const bs = this.I.model.reachingBindings(x);
    if (bs.length !== 1 || bs[0].kind !== 'assign' || !bs[0].value) return null;
    const { path, value } = bs[0];
    if (path.length === 0) return this.selfLoopGraph(value, depth + 1);
    // `edge_index, _ = add_self_loops(edge_index, num_nodes=n)`.
    return path.length === 1 && path[0] === 0 && adds(unparen(value)) ? unparen(value).id : null;
  }

  /**
   * The zeros a call's result keeps from its first operand (`TensorFacts.zeros`): elementwise `abs`, `square`, `sqrt`, a
   * power by a positive literal, and a sum, mean or norm over the last axis (the coordinates; `axis=-1`, `dim=-1`, or 2 of
   * a three-axis pairwise difference). A sum over all entries or over the points is not 0 on the diagonal.
   */
  keptZeros(node: PyNode, first: AV | undefined): readonly number[] {
    const z = first?.t?.zeros;
    if (!z || z.length === 0 || node.type !== 'call') return NO_IDS;
    const fn = field(node, 'function');
    const name = this.lastName(fn);
    const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
    const items = namedChildren(field(node, 'arguments') ?? node);
    const positional = items.filter((c) => c.type !== 'keyword_argument');
    const rest = method ? positional : positional.slice(1);
    const kw = (...names: string[]): PyNode | null => {
      const k = items.find((c) => c.type === 'keyword_argument' && names.includes(this.text(field(c, 'name') ?? c)));
      return k ? field(k, 'value') : null;
    };
    if (/^(?:abs|absolute|square|sqrt|unsqueeze|expand_dims|view|reshape|squeeze)$/.test(name)) return z;
    if (/^(?:pow|power)$/.test(name)) {
      const e = this.numberLiteral(kw('exponent') ?? rest[0]);
      return e !== null && e > 0 ? z : NO_IDS;
    }
    if (this.overCoordinates(node)) return z;
    // Inside `vmap`, the difference of two samples is of two points: a sum or norm over all its entries is over the
    // coordinates (`jnp.sum((a - b) ** 2)` of `dist(a, b)` mapped over pairs).
    const whole = /^(?:sum|reduce_sum|mean|reduce_mean|norm|vector_norm)$/.test(name) && rest.length === 0 && !items.some((c) => c.type === 'keyword_argument' && /^(?:axis|dim)$/.test(this.text(field(c, 'name') ?? c)));
    return whole && this.vmapDepth > 0 && z.every((id) => this.sampleZeros.has(id)) ? z : NO_IDS;
  }

  /** A numeric literal's value (`-1`, `2`, `0.5`), null for anything else. */
  private numberLiteral(n: PyNode | null | undefined): number | null {
    if (!n) return null;
    const t = this.text(unparen(n)).replace(/\s+/g, '');
    return /^[+-]?\d+(?:\.\d*)?(?:e[+-]?\d+)?$/i.test(t) ? Number(t) : null;
  }

  /**
   * A sum, mean or norm over the last axis of a pairwise difference, its coordinates (`axis=-1`, `dim=-1`, `.sum(-1)`,
   * or axis 2 of a three-axis difference): 0 wherever the difference is. Not a sum over all entries or over the points.
   */
  private overCoordinates(node: PyNode): boolean {
    if (node.type !== 'call') return false;
    const fn = field(node, 'function');
    const name = this.lastName(fn);
    if (!/^(?:sum|reduce_sum|mean|reduce_mean|norm|vector_norm)$/.test(name)) return false;
    const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
    const items = namedChildren(field(node, 'arguments') ?? node);
    const positional = items.filter((c) => c.type !== 'keyword_argument');
    const rest = method ? positional : positional.slice(1);
    const k = items.find((c) => c.type === 'keyword_argument' && /^(?:axis|dim)$/.test(this.text(field(c, 'name') ?? c)));
    // `torch.norm(x, p, dim)`, `x.norm(p, dim)`, `torch.linalg.norm(x, ord, dim)`: the axis comes after the order.
    const norm = name === 'norm';
    const axis = this.numberLiteral(k ? field(k, 'value') : norm && !/^(?:jax|tensorflow)\./.test(this.m.qualifiedName(fn!) ?? '') ? rest[1] : rest[0]);
    return axis === -1 || axis === 2;
  }

  /**
   * Whether a value is 0 on the diagonal of a pairwise matrix: a difference of two broadcast views of one tensor
   * (`x[:, None, :] - x[None, :, :]`, `x.unsqueeze(1) - x.unsqueeze(0)`, `jnp.expand_dims(r, 0) - jnp.expand_dims(r, 1)`),
   * or its square, absolute value, sum, norm or root, through local names bound once.
   */
  private zeroOnDiagonal(n: PyNode, depth = 0): boolean {
    if (depth > 8) return false;
    const x = unparen(n);
    const next = (e: PyNode | null | undefined): boolean => !!e && this.zeroOnDiagonal(e, depth + 1);
    switch (x.type) {
      case 'identifier': {
        if (!this.I.model.isUse(x)) return false;
        const bs = this.I.model.reachingBindings(x);
        return bs.length === 1 && (bs[0].kind === 'assign' || bs[0].kind === 'walrus') && bs[0].path.length === 0 && next(bs[0].value);
      }
      case 'binary_operator': {
        const op = this.text(field(x, 'operator') ?? x);
        const l = field(x, 'left');
        const r = field(x, 'right');
        if (!l || !r) return false;
        if (op === '-') {
          const a = this.broadcastBase(l);
          const b = this.broadcastBase(r);
          return (a !== null && a === b && this.text(unparen(l)) !== this.text(unparen(r))) || this.viewMinusBase(l, r);
        }
        if (op === '**') return /^(?:integer|float)$/.test(unparen(r).type) && Number(this.text(unparen(r))) > 0 && next(l);
        if (op === '*') return this.text(unparen(l)) === this.text(unparen(r)) && next(l);
        return false;
      }
      case 'call': {
        const fn = field(x, 'function');
        const name = this.lastName(fn);
        // `einsum('ijk,ijk->ij', d, d)`: the squared length of each difference, a sum over its last index.
        if (name === 'einsum') {
          const [eq, a, b, ...more] = namedChildren(field(x, 'arguments') ?? x);
          const spec = eq?.type === 'string' ? this.text(eq).replace(/^[rbuRBU]*['"]+|['"]+$/g, '').replace(/\s+/g, '') : '';
          const m = /^([\w.]+),([\w.]+)->([\w.]*)$/.exec(spec);
          return !!m && !!a && !!b && more.length === 0 && m[1] === m[2] && m[3] === m[1].slice(0, -1) && this.text(unparen(a)) === this.text(unparen(b)) && next(a);
        }
        if (!/^(?:sum|reduce_sum|square|abs|absolute|pow|power|sqrt|norm|vector_norm)$/.test(name)) return false;
        // A reduction keeps the diagonal's zeros only over the coordinates (a sum over all entries is not 0).
        if (/^(?:sum|reduce_sum|norm|vector_norm)$/.test(name) && !this.overCoordinates(x)) return false;
        if ((name === 'pow' || name === 'power') && !/^\s*2(?:\.0*)?\s*$/.test(this.text(namedChildren(field(x, 'arguments') ?? x).filter((c) => c.type !== 'keyword_argument').slice(-1)[0] ?? x))) return false;
        const args = namedChildren(field(x, 'arguments') ?? x).filter((c) => c.type !== 'keyword_argument');
        const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
        return next(method ? field(fn, 'object') : args[0]);
      }
      default:
        return false;
    }
  }

  /**
   * `x[:, None] - x`, `x.unsqueeze(1) - x`, `x.reshape(n, 1, d) - x` (either order): a broadcast view of a tensor minus
   * the tensor itself, the same name reaching both (or the same attribute). Entry (i, j) is x[i] - x[j], 0 for i == j.
   */
  private viewMinusBase(l: PyNode, r: PyNode): boolean {
    const same = (base: PyNode, other: PyNode): boolean => {
      const o = unparen(other);
      if (o.type !== base.type || this.text(o) !== this.text(base)) return false;
      if (o.type !== 'identifier') return o.type === 'attribute';
      const m = this.I.model;
      if (!m.isUse(o) || !m.isUse(base)) return false;
      const bo = m.reachingBindings(o);
      const bb = m.reachingBindings(base);
      return bo.length > 0 && bo.length === bb.length && bo.every((b) => bb.includes(b));
    };
    const vl = this.viewBase(l) ?? this.reshapeBase(l);
    if (vl && !this.viewBase(r) && !this.reshapeBase(r)) return same(vl, r);
    const vr = this.viewBase(r) ?? this.reshapeBase(r);
    return !!vr && !vl && same(vr, l);
  }

  /**
   * The tensor a reshape into a pairwise layout is of: `x.view(n, 1, d)`, `x.reshape(-1, 1, 3)`, `torch.reshape(x,
   * shape=(rows, 1, columns))` (a literal 1 among the new sizes, not the last), through a local name bound once.
   */
  private reshapeBase(n: PyNode, depth = 0): PyNode | null {
    const x = unparen(n);
    if (x.type === 'identifier') {
      if (depth >= 2 || !this.I.model.isUse(x)) return null;
      const bs = this.I.model.reachingBindings(x);
      if (bs.length !== 1 || (bs[0].kind !== 'assign' && bs[0].kind !== 'walrus') || bs[0].path.length !== 0 || !bs[0].value) return null;
      return this.reshapeBase(bs[0].value, depth + 1);
    }
    if (x.type !== 'call') return null;
    const fn = field(x, 'function');
    if (!/^(?:view|reshape)$/.test(this.lastName(fn))) return null;
    const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
    const items = namedChildren(field(x, 'arguments') ?? x);
    const positional = items.filter((c) => c.type !== 'keyword_argument');
    const shapeKw = items.find((c) => c.type === 'keyword_argument' && /^(?:shape|newshape)$/.test(this.text(field(c, 'name') ?? c)));
    let sizes = method ? positional : positional.slice(1);
    const only = shapeKw ? field(shapeKw, 'value') : sizes.length === 1 ? sizes[0] : null;
    if (only && /^(?:tuple|list)$/.test(unparen(only).type)) sizes = namedChildren(unparen(only));
    if (sizes.length < 2 || !sizes.slice(0, -1).some((c) => this.numberLiteral(c) === 1)) return null;
    const base = method ? field(fn!, 'object') : positional[0];
    const u = base ? unparen(base) : null;
    return u && (u.type === 'identifier' || u.type === 'attribute') ? u : null;
  }

  /**
   * The text of the tensor a broadcast view is of: `x[:, None]`, `x[None, :, :]`, `x[..., None, :]`, `x.unsqueeze(1)`,
   * `jnp.expand_dims(x, 0)`, `x[:, jnp.newaxis]`, through a local name bound once; null when `n` is not one.
   */
  private broadcastBase(n: PyNode): string | null {
    const b = this.viewBase(n);
    return b ? this.text(b) : null;
  }

  /** The tensor a broadcast view is of, as a node (see `broadcastBase`). */
  private viewBase(n: PyNode, depth = 0): PyNode | null {
    const x = unparen(n);
    if (x.type === 'identifier') {
      if (depth >= 2 || !this.I.model.isUse(x)) return null;
      const bs = this.I.model.reachingBindings(x);
      if (bs.length !== 1 || (bs[0].kind !== 'assign' && bs[0].kind !== 'walrus') || bs[0].path.length !== 0 || !bs[0].value) return null;
      return this.viewBase(bs[0].value, depth + 1);
    }
    const plain = (e: PyNode | null | undefined): PyNode | null => {
      const u = e ? unparen(e) : null;
      return u && (u.type === 'identifier' || u.type === 'attribute') ? u : null;
    };
    if (x.type === 'subscript') {
      const subs = x.children.filter((c) => c.field === 'subscript');
      const newAxis = (c: PyNode): boolean => c.type === 'none' || /^(?:\w+\.)?newaxis$/.test(this.text(c));
      const only = subs.every((c) => newAxis(c) || c.type === 'slice' || c.type === 'ellipsis');
      return subs.some(newAxis) && only ? plain(field(x, 'value')) : null;
    }
    if (x.type === 'call') {
      const fn = field(x, 'function');
      const name = this.lastName(fn);
      if (name !== 'unsqueeze' && name !== 'expand_dims') return null;
      const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
      return plain(method ? field(fn, 'object') : namedChildren(field(x, 'arguments') ?? x)[0]);
    }
    return null;
  }

  /**
   * `1 - c ** 2` (`1.0 - torch.pow(c, 2)`, `1 - c.pow(2)`, `1 - jnp.square(c)`, `1 - c * c`) with `c` a cosine
   * (`cosineOf`).
   */
  private oneMinusSquaredCosine(n: PyNode, orTanh = false): boolean {
    const x = unparen(n);
    if (x.type !== 'binary_operator' || this.text(field(x, 'operator') ?? x) !== '-') return false;
    const l = field(x, 'left');
    const r = field(x, 'right');
    if (!l || !r || !/^1(?:\.0*)?$/.test(this.text(unparen(l)))) return false;
    // `sin2 = 1 - cos2` with `cos2 = torch.pow(cos, 2)` on the line before.
    const sq = unparen(r).type === 'identifier' ? unparen(this.onlyValue(unparen(r)) ?? r) : unparen(r);
    const two = (e: PyNode | null | undefined): boolean => !!e && /^2(?:\.0*)?$/.test(this.text(unparen(e)));
    let base: PyNode | null = null;
    if (sq.type === 'binary_operator') {
      const op = this.text(field(sq, 'operator') ?? sq);
      const a = field(sq, 'left');
      const b = field(sq, 'right');
      if (op === '**' && two(b)) base = a;
      else if (op === '*' && a && b && this.text(unparen(a)) === this.text(unparen(b))) base = a;
    } else if (sq.type === 'call') {
      const fn = field(sq, 'function');
      const name = this.lastName(fn);
      const args = namedChildren(field(sq, 'arguments') ?? sq).filter((c) => c.type !== 'keyword_argument');
      const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
      if (name === 'pow' && method && two(args[0])) base = field(fn!, 'object');
      else if (name === 'pow' && !method && two(args[1])) base = args[0] ?? null;
      else if (name === 'square' && method && args.length === 0) base = field(fn!, 'object');
      else if (name === 'square' && !method) base = args[0] ?? null;
    }
    // Under a logarithm, only a tanh output: `log(1 - c ** 2)` of a value clamped from data is a constant of the loss.
    return !!base && (orTanh ? this.tanhOf(base) : this.cosineOf(base));
  }

  /** `torch.tanh(u)`, `u.tanh()`, `jnp.tanh(u)`, `tf.tanh(u)`, `tf.math.tanh(u)`, through a local name bound once. */
  private tanhOf(n: PyNode, depth = 0): boolean {
    const x = unparen(n);
    if (x.type === 'identifier' && depth < 3) {
      const v = this.onlyValue(x);
      return !!v && this.tanhOf(v, depth + 1);
    }
    if (x.type !== 'call') return false;
    const fn = field(x, 'function');
    if (this.lastName(fn) !== 'tanh') return false;
    const q = fn ? this.m.qualifiedName(fn) ?? '' : '';
    return q === '' ? fn?.type === 'attribute' && namedChildren(field(x, 'arguments') ?? x).length === 0 : /^(?:torch|jax\.numpy|tensorflow|tensorflow\.math|torch\.nn\.functional)\.tanh$/.test(q);
  }

  /**
   * Whether `n` is visibly a cosine of two vectors: `cosine_similarity(a, b)`, or a product (`linear`, `matmul`, `mm`,
   * `bmm`, `einsum`, `@`, `sum(a * b)`) of two normalized operands (`normalize(...)`, `l2_normalize(...)`), through a
   * clamp to [-1, 1] and local names bound once.
   */
  private cosineOf(n: PyNode, depth = 0): boolean {
    if (depth > 4) return false;
    const x = unparen(n);
    const normalized = (e: PyNode | null | undefined, d: number): boolean => {
      if (!e || d > 4) return false;
      const u = unparen(e);
      if (u.type === 'identifier') {
        const v = this.onlyValue(u);
        return !!v && normalized(v, d + 1);
      }
      if (u.type === 'attribute' && /^(?:T|mT)$/.test(this.text(field(u, 'attribute') ?? u))) return normalized(field(u, 'object'), d + 1);
      if (u.type === 'binary_operator' && this.text(field(u, 'operator') ?? u) === '/') {
        const [a, b] = [field(u, 'left'), field(u, 'right')];
        return !!a && !!b && this.normOf(b, a);
      }
      if (u.type !== 'call') return false;
      const fn = field(u, 'function');
      const name = this.lastName(fn);
      if (/^(?:normalize|l2_normalize)$/.test(name)) return true;
      // `torch.div(x, torch.norm(x, 2, axis, True))`, and a function of the file that returns one (`l2_norm(w, axis=0)`).
      if (/^(?:div|divide|true_divide)$/.test(name)) {
        const [a, b] = namedChildren(field(u, 'arguments') ?? u).filter((c) => c.type !== 'keyword_argument');
        return !!a && !!b && this.normOf(b, a);
      }
      const local = this.I.model.functions.find((f) => f.node.type === 'function_definition' && !f.isMethod && f.name === this.text(fn ?? u));
      if (local && local.returns.length > 0 && d < 3) return local.returns.every((ret) => normalized(ret, d + 1));
      // `w.t()`, `w.transpose(0, 1)`: the transpose of a normalized matrix.
      if (/^(?:t|transpose|permute)$/.test(name) && fn?.type === 'attribute') return normalized(field(fn, 'object'), d + 1);
      return false;
    };
    if (x.type === 'identifier') {
      const v = this.onlyValue(x);
      return !!v && this.cosineOf(v, depth + 1);
    }
    // `x / x.norm(dim=-1, keepdim=True)`-style operands are normalized too (see `normalized`).
    if (x.type === 'binary_operator' && this.text(field(x, 'operator') ?? x) === '@') return normalized(field(x, 'left'), 0) && normalized(field(x, 'right'), 0);
    if (x.type !== 'call') return false;
    const fn = field(x, 'function');
    const name = this.lastName(fn);
    const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
    const args = namedChildren(field(x, 'arguments') ?? x).filter((c) => c.type !== 'keyword_argument');
    if (name === 'cosine_similarity') return true;
    // A clamp onto exactly [-1, 1] says the value is a cosine (`cos_theta.clamp(-1, 1)`), and it puts at ±1 what it excludes.
    if (/^(?:clamp|clip)$/.test(name)) {
      const bounds = this.clampBounds(x);
      const one = (e: PyNode | null | undefined, v: number): boolean => !!e && Number(this.text(unparen(e)).replace(/\s+/g, '')) === v;
      if (bounds && one(bounds.lower, -1) && one(bounds.upper, 1)) return true;
    }
    if (/^(?:clamp|clip)$/.test(name)) return this.cosineOf((method ? field(fn!, 'object') : args[0]) ?? x, depth + 1);
    if (/^(?:linear|matmul|mm|bmm|inner|dot)$/.test(name)) {
      const [a, b] = method ? [field(fn!, 'object'), args[0]] : [args[0], args[1]];
      return normalized(a, 0) && normalized(b, 0);
    }
    if (name === 'einsum') {
      const ops = args.slice(1);
      return ops.length === 2 && ops.every((o) => normalized(o, 0));
    }
    return false;
  }

  /**
   * `n / where(n == 0, c, d)` (also `n != 0` with the branches swapped, `where(abs(n) < eps, ...)`): the divisor's guard
   * tests the numerator `n`, a local name, and keeps `d`, another local name whose value does not read `n` (nor `n`'s
   * value `d`), with a non-zero constant `c` in place of what it excludes: where `d` is 0 and `n` is not, the division
   * is by 0.
   */
  private guardTestsNumerator(div: PyNode, guard: PyNode): boolean {
    if (this.text(field(div, 'operator') ?? div) !== '/') return false;
    const num = field(div, 'left');
    const a = this.callArgs(guard);
    if (!num || unparen(num).type !== 'identifier' || !a || a.positional.length < 3) return false;
    const n = this.text(unparen(num));
    const cond = unparen(a.positional[0]!);
    if (cond.type !== 'comparison_operator') return false;
    const parts = namedChildren(cond);
    if (parts.length !== 2) return false;
    const ops = cond.children.filter((c) => !c.named).map((c) => this.text(c));
    const tested = (e: PyNode): boolean => {
      const u = unparen(e);
      if (u.type === 'identifier') return this.text(u) === n;
      if (u.type !== 'call' || !/^(?:abs|absolute|fabs)$/.test(this.lastName(field(u, 'function')))) return false;
      const inner = namedChildren(field(u, 'arguments') ?? u)[0];
      return !!inner && unparen(inner).type === 'identifier' && this.text(unparen(inner)) === n;
    };
    const smallConst = (e: PyNode): boolean => /^(?:0|0?\.\d*|\d*\.?\d*e-\d+|eps|EPS|epsilon)$/i.test(this.text(unparen(e)).replace(/\s+/g, ''));
    if (!tested(parts[0]!) || !smallConst(parts[1]!)) return false;
    // The branch the condition selects when `n` is (near) 0 holds the constant; the other keeps `d`.
    const zeroWhenTrue = ops[0] === '==' || ops[0] === '<' || ops[0] === '<=';
    const zeroWhenFalse = ops[0] === '!=' || ops[0] === '>' || ops[0] === '>=';
    if (!zeroWhenTrue && !zeroWhenFalse) return false;
    const safe = zeroWhenTrue ? a.positional[1]! : a.positional[2]!;
    const kept = unparen(zeroWhenTrue ? a.positional[2]! : a.positional[1]!);
    if (!/^(?:integer|float)$/.test(unparen(safe).type) || this.numberLiteral(safe) === 0) return false;
    if (kept.type !== 'identifier' || this.text(kept) === n) return false;
    const d = this.text(kept);
    const reads = (name: string, value: PyNode | null): boolean => !value || new RegExp(`\\b${name}\\b`).test(this.text(value));
    const keptValue = this.onlyValue(kept);
    const numValue = this.onlyValue(unparen(num));
    return !!keptValue && !!numValue && !reads(n, keptValue) && !reads(d, numValue);
  }

  /** Whether `n` is a norm of `of` (`torch.norm(x, ...)`, `x.norm(...)`, `torch.linalg.norm(x)`), through a name bound once. */
  private normOf(n: PyNode, of: PyNode, depth = 0): boolean {
    const x = unparen(n);
    if (x.type === 'identifier' && depth < 2) {
      const v = this.onlyValue(x);
      return !!v && this.normOf(v, of, depth + 1);
    }
    if (x.type !== 'call') return false;
    const fn = field(x, 'function');
    if (!/^(?:norm|vector_norm)$/.test(this.lastName(fn))) return false;
    const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
    const arg = method ? field(fn!, 'object') : namedChildren(field(x, 'arguments') ?? x)[0];
    return !!arg && this.text(unparen(arg)) === this.text(unparen(of));
  }

  /** The value of a local name bound once by a plain assignment, or null. */
  private onlyValue(x: PyNode): PyNode | null {
    if (!this.I.model.isUse(x)) return null;
    const bs = this.I.model.reachingBindings(x);
    return bs.length === 1 && (bs[0].kind === 'assign' || bs[0].kind === 'walrus') && bs[0].path.length === 0 && bs[0].value ? bs[0].value : null;
  }

  /** A guard (`clamp`, `where`...) that maps the values it excludes onto the singular point of `op`. */
  private recordGuardOnto(guard: PyNode, op: PyNode, onto: 'zero' | 'unit' | 'diagonal' | 'cosine' | 'other' | 'nan'): void {
    this.I.record('wheres', { node: guard, risky: [op.id], atInf: [], fn: null, onto }, (o, e) => {
      const x = o as { risky: readonly number[] };
      x.risky = [...new Set([...x.risky, ...(e as { risky: readonly number[] }).risky])];
    });
  }

  /** A clamp whose lower bound is exactly -1 or whose upper bound is exactly 1 (`clamp(c, -1.0, 1.0)`). */
  private unitGuard(call: PyNode, name: string): boolean {
    const bounds = this.clampBounds(call);
    if (!bounds) return false;
    const { lower, upper } = bounds;
    const value = (n: PyNode | null | undefined): number | null => {
      if (!n) return null;
      const t = this.text(unparen(n)).replace(/\s+/g, '');
      return /^[+-]?(?:1|1\.0*|1\.)$/.test(t) ? Number(t) : null;
    };
    // hardtanh's bounds default to -1 and 1.
    if (name === 'hardtanh') return (lower === null || lower === undefined || value(lower) === -1) || (upper === null || upper === undefined || value(upper) === 1);
    return value(lower) === -1 || value(upper) === 1;
  }

  /** A call's positional argument nodes, and its keyword arguments' values by name (the first of `names` given). */
  private callArgs(call: PyNode): { positional: PyNode[]; keyword: (...names: string[]) => PyNode | null } | null {
    const args = field(call, 'arguments');
    if (!args) return null;
    const items = namedChildren(args);
    return {
      positional: items.filter((a) => a.type !== 'keyword_argument'),
      keyword: (...names) => {
        const kw = items.find((a) => a.type === 'keyword_argument' && names.includes(this.text(field(a, 'name') ?? a)));
        return kw ? field(kw, 'value') : null;
      },
    };
  }

  /**
   * The bound arguments of a clamp-like call: `torch.clamp(x, lo, hi)`, `x.clamp(min=lo)` (a method: the bounds come
   * first), `jnp.clip(x, a_min=lo)`, `tf.clip_by_value(x, lo, hi)`, `F.hardtanh(x, min_val=lo)`.
   */
  private clampBounds(call: PyNode): { lower: PyNode | null | undefined; upper: PyNode | null | undefined } | null {
    const a = this.callArgs(call);
    if (!a) return null;
    // A method on a computed value (`torch.mm(a, b).clamp(-1, 1)`) is a method call whatever its text starts with.
    const fnNode = field(call, 'function');
    const object = fnNode?.type === 'attribute' ? field(fnNode, 'object') : null;
    const computed = !!object && /^(?:call|subscript|parenthesized_expression|binary_operator)$/.test(object.type);
    // A module's function (`torch.clamp`, `th.clamp`, `F.hardtanh` under any import name) takes the tensor first.
    const receiverCall = fnNode?.type === 'attribute' && (computed || this.m.qualifiedName(fnNode) === null);
    const at = receiverCall ? 0 : 1;
    return {
      lower: a.keyword('min', 'a_min', 'clip_value_min', 'min_val') ?? a.positional[at],
      upper: a.keyword('max', 'a_max', 'clip_value_max', 'max_val') ?? a.positional[at + 1],
    };
  }

  /** A name use whose every reaching binding is a plain assignment (`x = ...`, `x := ...`) of a value `holds` of. */
  private everyAssignedValue(use: PyNode, holds: (value: PyNode) => boolean): boolean {
    if (!this.I.model.isUse(use)) return false;
    const bs = this.I.model.reachingBindings(use);
    return bs.length > 0 && bs.every((b) => (b.kind === 'assign' || b.kind === 'walrus') && b.path.length === 0 && !!b.value && holds(b.value));
  }

  /** A `where`/`clamp`/`maximum` that does not put 0 in place of what it excludes, directly or through local names. */
  private guardedExpr(node: PyNode | undefined, depth = 0): boolean {
    if (!node || depth > 3) return false;
    const n = unparen(node);
    if (n.type === 'identifier') return this.everyAssignedValue(n, (v) => this.guardedExpr(v, depth + 1));
    if (n.type !== 'call') return false;
    const fn = field(n, 'function');
    const name = this.lastName(fn);
    return /^(?:where|clamp|clip|clamp_min|maximum|fmax)$/.test(name) && !this.zeroGuard(n, name);
  }

  /**
   * A guard that puts 0 in place of the values it excludes (`where(mask, d, zeros_like(d))`, `clamp(x, min=0)`,
   * `maximum(x, 0.0)`): sqrt, log and a division are still singular at 0, so the guarded value is not safe.
   */
  private zeroGuard(call: PyNode, name: string): boolean {
    const a = this.callArgs(call);
    if (!a) return false;
    const isZero = (n: PyNode | null | undefined): boolean => {
      if (!n) return false;
      const t = this.text(unparen(n)).replace(/\s+/g, '');
      return /^(?:0|0\.0*|0\.|\.0+)$/.test(t) || /(?:^|\.)zeros(?:_like)?\(/.test(t);
    };
    if (name === 'where') return a.positional.length >= 3 && (isZero(a.positional[1]) || isZero(a.positional[2]));
    if (name === 'clamp' || name === 'clip' || name === 'clamp_min') return isZero(this.clampBounds(call)?.lower);
    if (name === 'maximum' || name === 'fmax') return a.positional.slice(0, 2).some((p) => isZero(p));
    return false;
  }

  /**
   * `cos(x)`, `x ** 2` on an input holding a literal infinity (`TensorFacts.inf`): the operation's derivative there
   * is NaN or infinite (`NON_FINITE_DERIVATIVE_AT_INF`), so it is a risky site whatever guards it. `exponent` is
   * the power's literal exponent when the operation is a power: only p > 1 has an infinite p·x^(p-1) at infinity.
   */
  infRisky(name: string, arg: AV | undefined, node: PyNode, exponent?: AV): number[] {
    const t = arg?.t;
    if (!t || t.inf.length === 0 || !(dependsOnInput(t) || t.params.length > 0) || !NON_FINITE_DERIVATIVE_AT_INF.has(name)) return [];
    if (name === 'pow' && !(typeof exponent?.lit === 'number' && exponent.lit > 1)) return [];
    this.infSites.add(node.id);
    return [node.id];
  }

  /**
   * The `risky` facet of an operation's result: `inherited` plus `own`, the operation's own sites when it is
   * risky (sqrt, log, division, exp...; null when it is not), and the sites `infRisky` found; nothing to add
   * when it has neither.
   */
  private riskyFacts(inherited: readonly number[], own: readonly number[] | null, infRisky: readonly number[]): Partial<TensorFacts> {
    if (!own && infRisky.length === 0) return {};
    return { risky: union(union(inherited, infRisky), own ?? []) };
  }

  /**
   * A derivative or backward of `v`, a value made only from constant derivatives (`grad(2 * x, x, create_graph=True)`):
   * it requires no grad and has no `grad_fn`, so PyTorch raises. Recorded per calling context.
   */
  private constantDerivative(v: AV, node: PyNode, frame: Frame): void {
    const t = v.t;
    if (!t || requiresGradish(t) || !isKind(v, Kind.TENSOR)) return;
    const firsts = t.dGraph.filter((s) => this.constantSites.has(s));
    if (firsts.length === 0 || firsts.length !== t.dGraph.length) return;
    this.I.record('constantDerivatives', { node, firsts, fn: frame.fn }, (o, e) => {
      const a = o as { firsts: readonly number[] };
      a.firsts = union(a.firsts, (e as { firsts: readonly number[] }).firsts);
    });
  }

  /**
   * Whether a `where` condition is built from an identity matrix (`eye(n)`, `1 - eye(n)`, `~eye(n, dtype=bool)`,
   * `eye(n) == 0`, `torch.eye(n).bool()`), directly or through local names (`DIAGONAL_MASK_FUNCTIONS`).
   */
  private diagonalMask(cond: PyNode, depth = 0): boolean {
    if (depth > 3) return false;
    const stack = [cond];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x.type === 'call') {
        const fn = field(x, 'function');
        const last = this.lastName(fn);
        if (DIAGONAL_MASK_FUNCTIONS.has(last)) return true;
      } else if (x.type === 'identifier' && x.field !== 'attribute' && this.I.model.isUse(x)) {
        if (this.everyAssignedValue(x, (v) => this.diagonalMask(v, depth + 1))) return true;
        continue;
      }
      for (const c of x.children) stack.push(c);
    }
    return false;
  }

  /**
   * `maximum(a, floor)` (either order) or `clip(a, floor)` where `a` is itself a singular operation (`sqrt`, `norm`,
   * `log`, a division: its own site is among its risky sites) and `floor` does not depend on the input: where the
   * floor is selected, the operation's infinite or NaN derivative is multiplied by 0, as in a `where`. Recorded as
   * a `where` event; the result's `masked` facet (empty when there is none).
   */
  floorMasked(a: AV | undefined, b: AV | undefined, node: PyNode, frame: Frame): number[] {
    const pick = (v: AV | undefined, floor: AV | undefined): number | null => {
      const site = this.singularSite(v);
      if (site === null) return null;
      if (!floor || (floor.t && (dependsOnInput(floor.t) || floor.t.params.length > 0))) return null;
      return site;
    };
    const site = pick(a, b) ?? pick(b, a);
    return site === null ? [] : this.guardAfter(site, node, frame);
  }

  /**
   * `nan_to_num(a)` (`torch.nan_to_num`, `x.nan_to_num()`, `jnp.nan_to_num`) where `a` is itself a singular
   * operation on the input: the replaced entries are where the operation is infinite or NaN, and there its
   * derivative is too; `nan_to_num`'s derivative 0 multiplies it: 0 × inf = NaN, as in a `where`. Recorded as a
   * `where` event; the result's `masked` facet (empty when there is none).
   */
  nonFiniteCleaned(a: AV | undefined, node: PyNode, frame: Frame): number[] {
    const site = this.singularSite(a) ?? this.logProductSite(a);
    // Replacing infinities after the operation says they occur: `strict` (reported without a derivative in view).
    return site === null ? [] : this.guardAfter(site, node, frame, true);
  }

  /** The site of `v` when `v` is the result of an operation singular at 0 (`sqrt`, `norm`, `log`, a division) on the input. */
  private singularSite(v: AV | undefined): number | null {
    const t = v?.t;
    if (!v || !t || v.site < 0 || !t.risky.includes(v.site) || !dependsOnInput(t)) return null;
    // Singular at 0 (what a floor is meant to keep away from), not `exp`, whose derivative is finite below overflow.
    const op = this.m.tree.nodes[v.site];
    const fn = op?.type === 'call' ? field(op, 'function') : null;
    const singular = op?.type === 'binary_operator' ? true : fn ? /^(?:sqrt|rsqrt|norm|log|log2|log10|reciprocal|divide|truediv)$/.test(this.lastName(fn)) : false;
    // PyTorch's norm (`torch.norm`, `x.norm()`) has a subgradient of 0 at 0: not singular there.
    if (fn && this.lastName(fn) === 'norm' && !/^(?:jax\.numpy|tensorflow)\./.test(this.m.qualifiedName(fn) ?? '')) return null;
    return singular ? v.site : null;
  }

  /**
   * The site of `v` when `v` is a root of a value computed from the input (`sqrt(s)`, `s ** 0.5`, `pow(s, 0.5)`, a JAX or
   * TensorFlow norm): the operations whose value is finite at 0 while their derivative there is infinite.
   */
  rootSite(v: AV | undefined): number | null {
    const site = this.singularSite(v);
    if (site === null) return null;
    const op = this.m.tree.nodes[site]!;
    if (op.type === 'binary_operator') {
      const e = this.numberLiteral(field(op, 'right'));
      return this.text(field(op, 'operator') ?? op) === '**' && e !== null && e > 0 && e < 1 ? site : null;
    }
    const fn = op.type === 'call' ? field(op, 'function') : null;
    const name = this.lastName(fn);
    if (name === 'sqrt' || name === 'norm') return site;
    return /^(?:pow|power|float_power)$/.test(name) && this.singularExponent(op) ? site : null;
  }

  /**
   * `torch.max(sqrt(s), eps)`, `torch.clamp(sqrt(s), min=eps)`, `sqrt(s).clamp_min(eps)`, `sqrt(s) + eps`: a guard applied
   * to a root's value after the root is taken, with a floor (or shift) that does not depend on the input. It keeps the
   * value away from 0, not the derivative: where the root's operand is 0 (what the guard is written for) its derivative is
   * infinite, and the guard's derivative (0 for a floor, 1 for a shift whose result divides something that is 0 there)
   * makes the gradient NaN. Recorded as a `where` event masking the root; the result's `masked` facet (empty when none).
   */
  rootGuarded(a: AV | undefined, floor: AV | undefined, floorNode: PyNode | null | undefined, node: PyNode, frame: Frame, shift = false): number[] {
    const site = this.rootSite(a);
    if (site === null) return [];
    // The floor is a small positive constant (an epsilon: a literal, a name bound to one, a parameter whose default is
    // one), or a tensor made of constants (`torch.FloatTensor([1e-4])`).
    const named = floorNode ? this.positiveConstant(floorNode, 0, 1e-2) : false;
    if (!named && (!floor || (floor.t && (dependsOnInput(floor.t) || floor.t.params.length > 0)))) return [];
    const eps = named || (!!floor && typeof floor.lit === 'number' && floor.lit > 0 && floor.lit <= 1e-2);
    if (!eps && (shift || !(floor?.t && isKind(floor, Kind.TENSOR)))) return [];
    return this.guardAfter(site, node, frame);
  }

  private guardAfter(site: number, node: PyNode, frame: Frame, strict = false): number[] {
    this.I.record('wheres', { node, risky: [site], atInf: [], fn: frame.fn, strict }, (o, e) => {
      const x = o as { risky: readonly number[] };
      x.risky = [...new Set([...x.risky, ...(e as { risky: readonly number[] }).risky])];
    });
    return [node.id];
  }

  /**
   * The risky operations whose outputs a `where` condition tests for non-finite values: a name or attribute
   * chain whose value is such an output (its site is among its own risky sites), inside `isinf`/`isnan`/
   * `isfinite` (`torch.isinf(e)`, `e.isnan()`, `jnp.isfinite(y)`, `tf.math.is_inf(y)`). The output is infinite or
   * NaN exactly where the operation already ran on the inputs the guard is meant to keep from it.
   */
  private riskyTestedBy(cond: PyNode): Set<number> {
    const out = new Set<number>();
    const tested = (arg: PyNode): void => {
      const stack = [arg];
      while (stack.length > 0) {
        const x = stack.pop()!;
        if ((x.type === 'identifier' && x.field !== 'attribute') || x.type === 'attribute') {
          // Only the operation's output itself, not a value computed further on from it.
          const v = this.I.analysis.values.get(x.id);
          if (v?.t && v.site >= 0 && v.t.risky.includes(v.site)) out.add(v.site);
          const lp = this.logProductSite(v);
          if (lp !== null) out.add(lp);
          if (x.type === 'attribute') continue;
        }
        for (const c of x.children) stack.push(c);
      }
    };
    const stack = [cond];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x.type === 'call') {
        const fn = field(x, 'function');
        const name = fn ? (fn.type === 'attribute' ? this.text(field(fn, 'attribute') ?? fn) : this.text(fn)) : '';
        if (NON_FINITE_TESTS.test(name)) {
          if (fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '') {
            const recv = field(fn, 'object');
            if (recv) tested(recv);
          }
          for (const a of field(x, 'arguments')?.children ?? []) tested(a);
          continue;
        }
      }
      for (const c of x.children) stack.push(c);
    }
    return out;
  }

  /**
   * The values a `where` condition compares with 0 or a small positive constant (`theta2 > 0.0`, `d == 0`,
   * `abs(w) < eps` with `eps: float = 1e-6`, `isclose(d, 0.0)`), directly or through a mask name bound to such a
   * comparison (`mask = theta2 > 0.0; where(mask, ...)`), at most two names deep: the condition says these values
   * reach 0, and which entries are left out when they do.
   */
  private zeroTested(cond: PyNode, depth = 0): Set<string> {
    const out = new Set<string>();
    const subject = (n: PyNode): string | null => {
      let x = unparen(n);
      if (x.type === 'call') {
        const fn = field(x, 'function');
        const last = this.lastName(fn);
        if (last !== 'abs' && last !== 'absolute') return null;
        const arg = namedChildren(field(x, 'arguments') ?? x)[0];
        x = arg ? unparen(arg) : fn?.type === 'attribute' ? unparen(field(fn, 'object') ?? x) : x;
      }
      return x.type === 'identifier' && valueIdentifiers(x, this).length === 1 ? this.text(x) : null;
    };
    const stack = [cond];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x.type === 'comparison_operator') {
        const sides = namedChildren(x);
        if (sides.length === 2) {
          const [a, b] = sides as [PyNode, PyNode];
          const name = this.nearZero(b) ? subject(a) : this.nearZero(a) ? subject(b) : null;
          if (name) out.add(name);
        }
        continue;
      }
      if (x.type === 'call') {
        const fn = field(x, 'function');
        if (fn && /^(?:isclose|allclose)$/.test(this.lastName(fn))) {
          const [a, b] = namedChildren(field(x, 'arguments') ?? x).filter((c) => c.type !== 'keyword_argument');
          const name = a && b ? (this.nearZero(b) ? subject(a) : this.nearZero(a) ? subject(b) : null) : null;
          if (name) out.add(name);
          continue;
        }
      }
      if (x.type === 'identifier' && x.field !== 'attribute' && depth < 2 && this.I.model.isUse(x)) {
        const bs = this.I.model.reachingBindings(x);
        if (bs.length > 0 && bs.every((b) => (b.kind === 'assign' || b.kind === 'walrus') && b.path.length === 0 && !!b.value && isMaskExpr(b.value, this))) {
          for (const b of bs) for (const n of this.zeroTested(b.value!, depth + 1)) out.add(n);
        }
        continue;
      }
      for (const c of x.children) stack.push(c);
    }
    return out;
  }

  /** 0, or a positive constant of at most 1e-3 (a literal, a name bound only to one, a parameter's default, `finfo(...).eps`). */
  private nearZero(n: PyNode): boolean {
    const x = unparen(n);
    if ((x.type === 'integer' || x.type === 'float') && Number(this.text(x).replace(/_/g, '')) === 0) return true;
    return this.positiveConstant(x, 0, 1e-3);
  }

  /**
   * Whether `operand` is one of `names`, or made from one by a root, power, absolute value, reshaping, a
   * constant factor, a product with itself, a function that vanishes at 0 (`sin`, `tanh`, `expm1`...) or as a numerator,
   * through at most two local names (`theta = sqrt(theta2)` is `theta2`'s root): where the name is 0, so is the operand.
   */
  private derivesFrom(operand: PyNode, names: Set<string>, depth = 0): boolean {
    const x = unparen(operand);
    if (x.type === 'identifier') {
      if (names.has(this.text(x))) return true;
      if (depth >= 2 || !this.I.model.isUse(x)) return false;
      const bs = this.I.model.reachingBindings(x);
      return bs.length > 0 && bs.every((b) => (b.kind === 'assign' || b.kind === 'walrus') && b.path.length === 0 && !!b.value && this.derivesFrom(b.value, names, depth + 1));
    }
    if (x.type === 'subscript') return this.derivesFrom(field(x, 'value') ?? x, names, depth);
    if (x.type === 'binary_operator') {
      const op = this.text(field(x, 'operator') ?? x);
      const l = field(x, 'left');
      const r = field(x, 'right');
      if (!l || !r) return false;
      // A power or a quotient of it is 0 where it is (`a / b` where `a` is).
      if (op === '**' || op === '/') return this.derivesFrom(l, names, depth);
      // `k * a`, `a * k` with a positive constant, and a product of a value with itself (`x * x`).
      if (op === '*') {
        if (this.text(unparen(l)) === this.text(unparen(r))) return this.derivesFrom(l, names, depth);
        return (this.positiveConstant(r) && this.derivesFrom(l, names, depth)) || (this.positiveConstant(l) && this.derivesFrom(r, names, depth));
      }
      return false;
    }
    if (x.type === 'call') {
      const fn = field(x, 'function');
      const last = this.lastName(fn);
      // Functions that are 0 where their argument is (`sin(x)`, `tanh(x)`, `expm1(x)` vanish at x = 0).
      if (!/^(?:sqrt|abs|absolute|square|pow|power|unsqueeze|squeeze|expand_dims|reshape|view|sin|tan|sinh|tanh|asin|arcsin|atan|arctan|asinh|arcsinh|atanh|arctanh|expm1|log1p)$/.test(last)) return false;
      const arg = namedChildren(field(x, 'arguments') ?? x)[0];
      const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
      const inner = method ? field(fn, 'object') : arg;
      return !!inner && this.derivesFrom(inner, names, depth);
    }
    return false;
  }

  /** The operand of a singular operation that is singular at 0: a square root's or logarithm's argument, a divisor. */
  private singularOperand(op: PyNode): PyNode | null {
    if (op.type === 'binary_operator') return field(op, 'right');
    if (op.type !== 'call') return null;
    const fn = field(op, 'function');
    const args = namedChildren(field(op, 'arguments') ?? op).filter((c) => c.type !== 'keyword_argument');
    const last = this.lastName(fn);
    const division = /^(?:div|divide|true_divide|truediv)$/.test(last);
    // A method (`s.sqrt()`, `a.div(b)`): the receiver is the first operand.
    if (fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '') return division ? args[0] ?? null : field(fn, 'object');
    return (division ? args[1] : args[0]) ?? null;
  }

  /**
   * Whether the operation at `site` is singular at a point its input reaches by being 0 (`sqrt`, `rsqrt`, `log`,
   * a norm, a reciprocal, a division): not `atan2` (singular only where both arguments are 0), `exp` (finite below
   * overflow) or a power.
   */
  private strictlySingular(site: number): boolean {
    const op = this.m.tree.nodes[site];
    if (!op || this.throughGuard(op)) return false;
    if (op.type === 'binary_operator') return /^\/\/?$/.test(this.text(field(op, 'operator') ?? op));
    const fn = op.type === 'call' ? field(op, 'function') : null;
    return !!fn && STRICTLY_SINGULAR_OPS.has(this.lastName(fn));
  }

  /**
   * Whether an operation's inputs pass through a guard (`where`, `clamp`, `maximum`, ...), in it or in the values
   * of its local names (two assignments deep): `sqrt(where(c, 0.0, s))` is the double-where idiom even with the
   * singular safe value, since the guard's own backward selects, and drops what the unselected entries send.
   */
  private throughGuard(op: PyNode, depth = 0): boolean {
    const stack = [op];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x.type === 'call' && x !== op) {
        const fn = field(x, 'function');
        if (fn && GUARD_CALLS.test(this.lastName(fn))) return true;
      }
      if (x.type === 'identifier' && x.field !== 'attribute' && depth < 2 && this.I.model.isUse(x)) {
        const bs = this.I.model.reachingBindings(x);
        if (bs.some((b) => (b.kind === 'assign' || b.kind === 'walrus') && b.path.length === 0 && !!b.value && this.throughGuard(b.value, depth + 1))) return true;
      }
      for (const c of x.children) stack.push(c);
    }
    if (op.type === 'call' && depth > 0) {
      const fn = field(op, 'function');
      if (fn && GUARD_CALLS.test(this.lastName(fn))) return true;
    }
    return false;
  }

  /**
   * A tensor made from literal data with a 0 in it (`torch.tensor([0.0, 2.0])`, `np.array([[1, 0]])`), directly or
   * through a name bound only to one: dividing by it is infinite at that entry, whatever the dividend.
   */
  private zeroData(n: PyNode | null | undefined, depth = 0): boolean {
    if (!n || depth > 2) return false;
    const x = unparen(n);
    if (x.type === 'identifier') return this.everyAssignedValue(x, (v) => this.zeroData(v, depth + 1));
    if (x.type !== 'call') return false;
    const fn = field(x, 'function');
    // `Variable(torch.FloatTensor([0., 1]))`: the legacy wrapper holds the data it is given.
    if (fn && this.lastName(fn) === 'Variable') return this.zeroData(namedChildren(field(x, 'arguments') ?? x)[0], depth + 1);
    if (!fn || !/^(?:tensor|as_tensor|Tensor|FloatTensor|DoubleTensor|array|asarray)$/.test(this.lastName(fn))) return false;
    const data = namedChildren(field(x, 'arguments') ?? x)[0];
    if (!data || (data.type !== 'list' && data.type !== 'tuple')) return false;
    const stack = [data];
    while (stack.length > 0) {
      const y = stack.pop()!;
      if ((y.type === 'integer' || y.type === 'float') && Number(this.text(y).replace(/_/g, '')) === 0) return true;
      if (y.type === 'list' || y.type === 'tuple' || y.type === 'unary_operator') for (const c of namedChildren(y)) stack.push(c);
    }
    return false;
  }

  /** A division by a literal 0 (`a / 0`): infinite for every input, so any `where` around it masks a singular value. */
  private divisionByZero(site: number): boolean {
    const op = this.m.tree.nodes[site];
    if (op?.type !== 'binary_operator' || !/^\/\/?$/.test(this.text(field(op, 'operator') ?? op))) return false;
    const r = field(op, 'right');
    return !!r && /^(?:0|0\.0*|\.0+)$/.test(this.text(unparen(r)).replace(/\s+/g, ''));
  }

  /** `where(cond, a, b)`: a branch with a risky operation on something the condition guards. */
  whereMasked(cond: PyNode | null, branches: AV[], node: PyNode, frame: Frame, opts: WhereOptions = {}): number[] {
    const strong = opts.strong === true;
    if (!cond) return [];
    const condNames = identifiersIn(cond, this);
    const zeroTested = this.zeroTested(cond);
    // A mask made from an identity matrix selects the diagonal of a pairwise matrix, where a point meets
    // itself: distances there are 0, so every risky operation in the branches is at its singular point.
    const diagonal = this.diagonalMask(cond);
    // A condition that tests the risky operation's own result (`e = x.exp(); where(isinf(e), x, log1p(e))`,
    // `where(isnan(y), 0, y)` with `y = sqrt(x)`) guards nothing: the operation already ran on the inputs it
    // masks out, so their derivative is there, multiplied by 0.
    const testedRisky = this.riskyTestedBy(cond);
    const risky: number[] = [];
    // Whether the condition says that the singular operation's own operand reaches its singular point on the
    // entries it leaves out (`where(theta2 > 0, sin(theta) / theta, 0.5)` with `theta = sqrt(theta2)`) and the other
    // branch gives the expression's limit there (a non-zero constant or a Taylor polynomial: `0.5 * ones_like(t)`,
    // `1 - x ** 2 / 6`), or a mask product is blended with the complementary one (`m * a + (1 - m) * b`): the code
    // defines a function meant to be continuous at that point, one that is differentiated (a rotation conversion, a
    // sinc), so the mistake shows without a derivative in view (library code is differentiated by its callers). A
    // zero or a parameter in the other branch (`where(n != 0, x / n, zeros)`, a similarity of stored activations;
    // `where(abs(d) < eps, grad_input, g * dy / d)` in a backward hook) says nothing of that.
    let strict = false;
    for (const [i, b] of branches.entries()) {
      const t = b.t;
      if (!t || t.risky.length === 0) continue;
      if (!(dependsOnInput(t) || t.params.length > 0)) continue;
      for (const r of t.risky) {
        const rn = this.m.tree.nodes[r];
        // The condition tests for 0 the very value the operation is singular at (`theta2 > 0` over `x / sqrt(theta2)`).
        const operand = rn && zeroTested.size > 0 && this.strictlySingular(r) ? this.singularOperand(rn) : null;
        // PyTorch's norms and `cdist` have a zero (sub)gradient at a zero vector: finite at the point these reasons name.
        const zeroSafe = !!rn && this.torchZeroSafe(rn);
        const atZero = !!operand && !zeroSafe && this.derivesFrom(operand, zeroTested);
        const limit = opts.blended === true || (opts.branchNodes ?? []).some((n, j) => j !== i && !!n && this.limitValue(n));
        if (atZero && limit && isKind(b, Kind.TENSOR) && t.recOff === null && this.continuous(operand, r)) strict = true;
        // `strong` (a mask applied by multiplication): only a condition that says the operation is at its singular point.
        const named = !strong && !!rn && [...identifiersIn(rn, this)].some((x) => condNames.has(x));
        if (this.infSites.has(r) || (diagonal && !zeroSafe) || testedRisky.has(r) || atZero || this.divisionByZero(r) || named) risky.push(r);
      }
    }
    // The condition tests a product with a logarithm for non-finite entries (`where(isnan(y), 0, y)`, `y[isnan(y)] = 0`
    // with `y = p * log(p)`): they occur, and there the product's derivative is infinite (strict, as for `nan_to_num`).
    for (const s of testedRisky) {
      if (!this.logProducts.has(s) || risky.includes(s)) continue;
      if (!branches.some((b) => this.logProductSite(b) === s)) continue;
      risky.push(s);
      strict = true;
    }
    if (risky.length === 0) return [];
    return this.recordWhere(node, risky, frame, strict);
  }

  /**
   * `m * b` (either order) where `m` is a boolean mask cast to numbers (`(theta2 > eps).float()`, `mask.type_as(x)`,
   * `(~mask).to(x.dtype)`, `jnp.asarray(c, x.dtype)`, `tf.cast(c, tf.float32)`, directly or through local names)
   * and `b` holds a risky operation: checked as `where(condition, b, 0)`. The result's `masked` facet.
   */
  private productMasked(node: PyNode, l: AV, r: AV, frame: Frame): number[] {
    const sides: [PyNode | null, AV][] = [[field(node, 'left'), r], [field(node, 'right'), l]];
    for (const [maskNode, branch] of sides) {
      if (!maskNode || !branch.t || branch.t.risky.length === 0 || !isKind(branch, Kind.TENSOR)) continue;
      const cond = this.castMask(maskNode);
      if (cond) return this.whereMasked(cond, [branch], node, frame, { strong: true, blended: this.blended(node) });
    }
    return [];
  }

  /** A boolean mask: a comparison or a test for non-finite values, `~`/`&`/`|` of them, or a name bound once to one. */
  private booleanMask(n: PyNode, depth = 0): boolean {
    const x = unparen(n);
    if (isMaskExpr(x, this)) return true;
    if (x.type === 'call') return NON_FINITE_TESTS.test(this.lastName(field(x, 'function')));
    if (x.type !== 'identifier' || depth >= 2 || !this.I.model.isUse(x)) return false;
    const bs = this.I.model.reachingBindings(x);
    return bs.length === 1 && (bs[0].kind === 'assign' || bs[0].kind === 'walrus') && bs[0].path.length === 0 && !!bs[0].value && this.booleanMask(bs[0].value, depth + 1);
  }

  /** Whether the product `node` is added to (or subtracted from) another product with a mask: `m * a + (1 - m) * b`. */
  private blended(node: PyNode): boolean {
    let x = node;
    while (x.parent?.type === 'parenthesized_expression') x = x.parent;
    const p = x.parent;
    if (!p || p.type !== 'binary_operator' || !/^[-+]$/.test(this.text(field(p, 'operator') ?? p))) return false;
    const other = unparen((field(p, 'left') === x ? field(p, 'right') : field(p, 'left')) ?? p);
    if (other.type !== 'binary_operator' || this.text(field(other, 'operator') ?? other) !== '*') return false;
    const masky = (e: PyNode | null): boolean => {
      if (!e) return false;
      const u = unparen(e);
      // `(1 - m)`, `(1.0 - mask)`: the complement of a mask.
      if (u.type === 'binary_operator' && this.text(field(u, 'operator') ?? u) === '-' && /^(?:1|1\.0*)$/.test(this.text(unparen(field(u, 'left') ?? u)))) {
        const m = field(u, 'right');
        return !!m && (this.castMask(m) !== null || this.castMask(m, true) !== null);
      }
      return this.castMask(u) !== null;
    };
    return masky(field(other, 'left')) || masky(field(other, 'right'));
  }

  /** The boolean condition a numeric mask is cast from (see `productMasked`), or null when `n` is not visibly one. */
  private castMask(n: PyNode, cast = false, depth = 0): PyNode | null {
    if (depth > 6) return null;
    const x = unparen(n);
    if (x.type === 'identifier') {
      if (!this.I.model.isUse(x)) return null;
      const bs = this.I.model.reachingBindings(x);
      if (bs.length !== 1 || (bs[0].kind !== 'assign' && bs[0].kind !== 'walrus') || bs[0].path.length !== 0 || !bs[0].value) return null;
      return this.castMask(bs[0].value, cast, depth + 1);
    }
    if (x.type === 'unary_operator' && this.text(field(x, 'operator') ?? x) === '~') {
      const inner = field(x, 'argument');
      return inner ? this.castMask(inner, cast, depth + 1) : null;
    }
    if (isMaskExpr(x, this)) return cast ? x : null;
    if (x.type !== 'call') return null;
    const fn = field(x, 'function');
    const name = this.lastName(fn);
    const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
    const args = namedChildren(field(x, 'arguments') ?? x).filter((c) => c.type !== 'keyword_argument');
    if (method) {
      const recv = field(fn, 'object');
      if (!recv) return null;
      // A cast to numbers, or a reshaping or move that keeps a cast's meaning.
      if (/^(?:float|double|half|type_as|type|astype)$/.test(name)) return this.castMask(recv, true, depth + 1);
      if (name === 'to' && args.some((a) => /\b(?:float\w*|double|half|bfloat16|dtype)\b/.test(this.text(a)))) return this.castMask(recv, true, depth + 1);
      if (/^(?:to|view|reshape|unsqueeze|squeeze|expand|expand_as|detach)$/.test(name)) return this.castMask(recv, cast, depth + 1);
      return null;
    }
    if (!fn) return null;
    const q = this.m.qualifiedName(fn) ?? '';
    if (/^(?:jax\.numpy\.(?:asarray|array)|tensorflow\.(?:math\.)?cast|torch\.as_tensor)$/.test(q) && args.length >= 2 && args[0]) return this.castMask(args[0], true, depth + 1);
    if (/^(?:jax\.numpy|torch|tensorflow)\.(?:expand_dims|reshape|unsqueeze)$/.test(q) && args[0]) return this.castMask(args[0], cast, depth + 1);
    return null;
  }

  /**
   * Whether the value of `n` may be a continuous quantity (not visibly integer or boolean: counts, as in a metric's
   * `tp / (tp + fp)`, are not differentiated).
   */
  private continuous(n: PyNode | null, site: number): boolean {
    const op = this.m.tree.nodes[site];
    // The operand's value, or (a root, a logarithm: the same dtype) the operation's own.
    const v = (n ? this.I.analysis.values.get(unparen(n).id) : undefined) ?? (op?.type === 'binary_operator' ? undefined : this.I.analysis.values.get(site));
    return !!v?.t && v.t.dtype !== 'int' && v.t.dtype !== 'bool';
  }

  /** `torch.norm`, `torch.linalg.norm`/`vector_norm`, `torch.cdist`, `x.norm()`: PyTorch defines their derivative at a zero vector as 0. */
  private torchZeroSafe(op: PyNode): boolean {
    if (op.type !== 'call') return false;
    const fn = field(op, 'function');
    if (!fn) return false;
    const q = this.m.qualifiedName(fn) ?? '';
    if (/^torch\.(?:norm|cdist|linalg\.norm|linalg\.vector_norm)$/.test(q)) return true;
    const recv = fn.type === 'attribute' ? field(fn, 'object') : null;
    const rv = recv ? this.I.analysis.values.get(recv.id) : undefined;
    return q === '' && this.lastName(fn) === 'norm' && !!rv && isKind(rv, Kind.TENSOR);
  }

  /**
   * A value that gives a limit at a singular point: a non-zero literal, `ones`/`ones_like`/`full_like(x, c)`, or
   * arithmetic of those with other names, divisions and powers by literals only (a Taylor polynomial
   * `1.0 - theta2 / 8.0 + theta2 ** 2 / 384.0`, `0.5 * torch.ones_like(t)`), with at least one non-zero constant;
   * through local names bound once to one.
   */
  private limitValue(n: PyNode, depth = 0): boolean {
    let constant = false;
    const ok = (e: PyNode, d: number): boolean => {
      const x = unparen(e);
      switch (x.type) {
        case 'integer':
        case 'float':
          if (Number(this.text(x).replace(/_/g, '')) !== 0) constant = true;
          return true;
        case 'unary_operator':
          return ok(field(x, 'argument') ?? x, d);
        case 'identifier': {
          if (d >= 2 || !this.I.model.isUse(x)) return true;
          const bs = this.I.model.reachingBindings(x);
          if (bs.length !== 1 || (bs[0].kind !== 'assign' && bs[0].kind !== 'walrus') || bs[0].path.length !== 0 || !bs[0].value) return true;
          const v = unparen(bs[0].value);
          // A name bound to arithmetic or to a constant (`scale = 1.0 / scale`, `ones = torch.ones_like(t)`) is followed;
          // one bound to another value (an input, `theta2 = jnp.sum(v ** 2, -1)`) stays a name.
          const constantCall = v.type === 'call' && /^(?:ones|ones_like|full|full_like)$/.test(this.lastName(field(v, 'function')));
          return v.type === 'identifier' || v.type === 'attribute' || v.type === 'subscript' || (v.type === 'call' && !constantCall) ? true : ok(v, d + 1);
        }
        case 'attribute':
        case 'subscript':
          return true;
        case 'binary_operator': {
          const op = this.text(field(x, 'operator') ?? x);
          const l = field(x, 'left');
          const r = field(x, 'right');
          if (!l || !r || !/^(?:[-+*/]|\*\*)$/.test(op)) return false;
          if ((op === '/' || op === '**') && !/^(?:integer|float)$/.test(unparen(r).type)) return false;
          return ok(l, d) && ok(r, d);
        }
        case 'call': {
          const fn = field(x, 'function');
          const name = this.lastName(fn);
          const args = namedChildren(field(x, 'arguments') ?? x).filter((c) => c.type !== 'keyword_argument');
          if (/^(?:ones|ones_like)$/.test(name)) {
            constant = true;
            return true;
          }
          if (/^(?:full|full_like)$/.test(name) && args[1]) return ok(args[1], d);
          return false;
        }
        default:
          return false;
      }
    };
    return ok(n, depth) && constant;
  }

  /** Records a `where` event (a `where` or a mask product masking the risky sites `risky`); the result's `masked` facet. */
  private recordWhere(node: PyNode, risky: number[], frame: Frame, strict: boolean): number[] {
    const atInf = risky.filter((r) => this.infSites.has(r));
    this.I.record('wheres', { node, risky, atInf, fn: frame.fn, ...(strict ? { strict } : {}) }, (o, e) => {
      const a = o as { risky: readonly number[]; atInf: readonly number[]; strict?: boolean };
      const b = e as { risky: readonly number[]; atInf: readonly number[]; strict?: boolean };
      a.risky = [...new Set([...a.risky, ...b.risky])];
      a.atInf = [...new Set([...a.atInf, ...b.atInf])];
      if (b.strict) a.strict = true;
    });
    return [node.id];
  }

  /**
   * Autograd saves tensors for backward: an operation's output (`relu`, `exp`, `cdist`: `saveOutput`)
   * or its inputs (`sin`, `norm`, a matmul's operands: `saveInputs`, which marks the variables holding
   * them). Changing a saved tensor in place afterwards breaks the backward pass (AGL020).
   */
  saveOutput(r: AV, node: PyNode): AV {
    if (!r.t || !requiresGradish(r.t)) return r;
    return av({ ...r, t: tensorFacts({ ...r.t, saved: union(r.t.saved, [node.id]) }) });
  }

  saveInputs(exprs: readonly (PyNode | null | undefined)[], vals: readonly AV[], node: PyNode, env: Env, frame: Frame, torchOp = false): void {
    // A method or an operator (`b.dot(delta)`, `a * b`) saves only when the code shows that some input requires grad:
    // on values that may, only because an unseen caller could pass such tensors, it may as well be NumPy's (the
    // parameters of a NumPy solver in a file that imports torch elsewhere). A torch function's inputs are tensors.
    if (!torchOp && !vals.some((v) => !!v?.t && visiblyRequiresGrad(v.t))) return;
    exprs.forEach((e, i) => {
      const v = vals[i];
      if (!e || !v?.t || !requiresGradish(v.t)) return;
      const u = unparen(e);
      // A view (`x[0, :, 0]`, `f[i - 1]`, `R.diagonal()`, `y.t()`) shares its base's storage and version counter: saving
      // the view saves the base, and any later in-place change of the base (`x[0, :, 0] = x[0, :, 0] * w`, the next
      // `f[i] = ...` of a recurrence into a preallocated tensor) breaks the backward pass.
      for (let b = this.storageBase(u); b; b = this.storageBase(b)) {
        if (b.type !== 'identifier' && b.type !== 'attribute') continue;
        const bv = this.I.analysis.values.get(b.id);
        if (bv?.t && isKind(bv, Kind.TENSOR)) this.updateReceiver(b, av({ ...bv, t: tensorFacts({ ...bv.t, saved: union(bv.t.saved, [node.id]) }) }), env, frame);
      }
      if (u.type === 'identifier') this.saveBaseOfNamedView(u, node, env, frame);
      if (u.type !== 'identifier' && u.type !== 'attribute') return;
      this.updateReceiver(u, av({ ...v, t: tensorFacts({ ...v.t, saved: union(v.t.saved, [node.id]) }) }), env, frame);
    });
  }

  /**
   * `row = h[t - 1]` bound once, then `row @ w` saves `row`: the storage is `h`'s, so `h` is marked too — when `h` still
   * holds the tensor the view was taken of (the same value site now as where the view was taken; rebound or changed
   * since, it is left alone).
   */
  private saveBaseOfNamedView(u: PyNode, node: PyNode, env: Env, frame: Frame): void {
    if (!this.I.model.isUse(u)) return;
    const bs = this.I.model.reachingBindings(u);
    if (bs.length !== 1 || bs[0].kind !== 'assign' || bs[0].path.length !== 0 || !bs[0].value) return;
    const b = this.storageBase(bs[0].value);
    if (!b || b.type !== 'identifier') return;
    const then = this.I.analysis.values.get(b.id);
    const now = env.get(this.text(b));
    if (!then || !now?.t || !isKind(now, Kind.TENSOR) || then.site === undefined || then.site !== now.site) return;
    this.updateReceiver(b, av({ ...now, t: tensorFacts({ ...now.t, saved: union(now.t.saved, [node.id]) }) }), env, frame);
  }

  /**
   * The tensor a view expression is a view of (unparenthesised): basic indexing (integers, Python int expressions,
   * slices, `...`, `None`), a view method (`x.t()`, `x.diagonal()`, `x.narrow(...)`), `torch.<view op>(x, ...)`, `x.T`.
   * Null for anything else (advanced indexing copies).
   */
  private storageBase(e: PyNode): PyNode | null {
    const u = unparen(e);
    if (u.type === 'subscript') {
      const base = field(u, 'value');
      const subs = u.children.filter((c) => c.field === 'subscript');
      const basic = subs.every((sn) => {
        const s = unparen(sn);
        if (/^(?:integer|slice|ellipsis|none)$/.test(s.type)) return true;
        const sv = this.I.analysis.values.get(s.id);
        return !!sv && sv.kind === Kind.NUMBER && (s.type === 'identifier' || s.type === 'binary_operator' || s.type === 'unary_operator');
      });
      return basic && base ? unparen(base) : null;
    }
    if (u.type === 'attribute') {
      const attr = field(u, 'attribute');
      const obj = field(u, 'object');
      return obj && attr && /^(?:T|mT|mH|H)$/.test(this.text(attr)) ? unparen(obj) : null;
    }
    if (u.type === 'call') {
      const c = this.m.call(u);
      if (!c) return null;
      if (c.method !== null && VIEW_OPS.has(c.method) && c.receiver && !(c.qname ?? '').startsWith('torch.')) return unparen(c.receiver);
      if (c.qname !== null && c.qname.startsWith('torch.') && VIEW_OPS.has(c.qname.slice(6)) && c.positional[0]) return unparen(c.positional[0]);
    }
    return null;
  }

  /**
   * A value computed only to be compared (`denominators.abs() < 1e-6`, `x.norm() > 0`): the comparison gives a
   * boolean without a graph, so no backward pass reaches the operations of that operand and nothing they saved
   * is ever checked. Their saves are dropped (AGL020). Not when the operand binds a name (`(n := x.norm()) > 0`).
   */
  forgetSavesWithin(expr: PyNode, env: Env, frame: Frame): void {
    let last = expr;
    while (last.children.length > 0) last = last.children[last.children.length - 1];
    const lo = expr.id;
    const hi = last.id;
    const binds = (n: PyNode): boolean => n.type === 'named_expression' || n.children.some(binds);
    if (binds(expr)) return;
    const inside = (id: number): boolean => id >= lo && id <= hi;
    this.markVariables(env, (e) => e.index.candidatesInRange(lo, hi), (t) => t.saved.some(inside), (t) => tensorFacts({ ...t, saved: t.saved.filter((id) => !inside(id)) }), frame, expr);
  }

  /** Record a conversion of a tensor to NumPy or Python (with the tapes recording there). */
  conversion(node: PyNode, value: AV, what: string): void {
    const tapes = this.currentTapes;
    this.I.record('conversions', { node, value, tapes, what }, (o, e) => {
      const a = o as { value: AV; tapes: readonly number[] };
      a.value = join(a.value, (e as { value: AV }).value);
      a.tapes = union(a.tapes as number[], (e as { tapes: readonly number[] }).tapes as number[]);
    });
  }

  /** The tapes recording at the expression being evaluated (set by `call`). */
  currentTapes: readonly number[] = [];

  /** A norm over one axis of a derivative (gradient penalties): recorded with the gradient's visible rank. */
  noteNorm(of: AV, dim: unknown, node: PyNode, frame: Frame, axes?: readonly number[]): void {
    const t = of.t;
    if (!t || typeof dim !== 'number' || t.order < 1 || t.dGraph.length + t.dNoGraph.length === 0) return;
    this.I.record('norms', { node, of, dim, rank: t.dims ? t.dims.length : null, fn: frame.fn, ...(axes ? { axes } : {}) });
  }

  /** Results computed where autograd does not record have no graph. */
  underRecording(t: TensorFacts, env: Env): TensorFacts {
    const r = env.recording;
    if (r.mode !== 'off' && r.mode !== 'inference') return t;
    // No graph is recorded: the value depends on nothing autograd can see (AGL009's story, not a cut).
    const site = r.site ? r.site.id : -1;
    return tensorFacts({ cuts: t.cuts, recOff: site, inference: r.mode === 'inference' || t.inference, dims: t.dims, dtype: t.dtype, norm: t.norm, pwl: t.pwl, curved: t.curved, coupled: t.coupled, order: t.order });
  }

  /** A tensor result of a differentiable operation on `parts`. */
  op(parts: readonly AV[], node: PyNode, env: Env, dims: Dims = null, extra: Partial<TensorFacts> = {}): AV {
    let t0 = combineTensors(parts.map((p) => p.t));
    if (node.type === 'call' && (t0.inf.length > 0 || parts[0]?.t?.affine)) {
      const fn = field(node, 'function');
      const name = this.lastName(fn);
      if (t0.inf.length > 0 && !('inf' in extra) && FINITE_RESULT.has(name)) t0 = tensorFacts({ ...t0, inf: NO_IDS });
      // `x.sum()`, `x.reshape(n, 1)`, `torch.mean(x)` of a value affine in its leaves (constant other arguments).
      if (parts[0]?.t?.affine && AFFINE_METHODS.has(name) && parts.slice(1).every((p) => !p.t && !isKind(p, Kind.TENSOR))) t0 = tensorFacts({ ...t0, affine: true });
    }
    const zeros = 'zeros' in extra ? {} : { zeros: this.keptZeros(node, parts[0]) };
    // Zero data kept by elementwise functions that keep a 0 and by reductions of all-zero data (`keptZeroData`).
    if (!('zeroData' in extra)) extra = { ...extra, zeroData: this.keptZeroData(node, parts[0]) };
    // TensorFlow: an operation on a Variable or on a value a tape records is recorded by the tapes active here
    // (arithmetic operators and tensor methods as well as `tf.*` functions).
    const tapes = env.tapes.length > 0 && parts.some((p) => p.t && (p.t.variable || p.t.tapes.length > 0)) ? { tapes: union(t0.tapes, env.tapes) } : {};
    // A nonlinear operation on a value that requires grad saves its input or output for the backward: it is a part
    // of the graph that a backward without `retain_graph` frees (`y = torch.sin(x); y.backward(); y.backward()`).
    let saving = {};
    if (extra.curved && extra.curved.includes(node.id) && env.recording.mode === 'on' && visiblyRequiresGrad(t0)) {
      this.savingSites.add(node.id);
      saving = { hist: union(t0.hist, [node.id]) };
    }
    const t = this.underRecording(tensorFacts({ ...t0, dims, dtype: floatOf(parts), ...zeros, ...tapes, ...extra, ...saving }), env);
    return av({ kind: Kind.TENSOR, t, site: node.id });
  }

  libraryCall(q: string, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    const spec = TORCH_DERIVATIVES[q];
    if (spec) return spec.returns === 'function' ? this.transform(q, spec, args, node) : this.derivative(q, spec, args, node, env, frame);
    if (q.startsWith('tensorflow.') || q.startsWith('keras.')) {
      const r = this.tf.call(q, args, node, env, frame);
      if (r) return r;
    }
    if (q.startsWith('jax.') || q.startsWith('flax.') || q.startsWith('optax.')) {
      const r = this.jax.call(q, args, node, env, frame);
      if (r) return r;
    }
    const mode = TORCH_GRAD_MODES[q];
    if (mode) {
      let m: string = mode;
      if (mode === 'set') {
        const f = this.flag(args, 'mode', ['mode'], true);
        m = f === true ? 'on' : f === false ? 'off' : 'unknown';
      } else if (mode === 'inference') {
        const f = this.flag(args, 'mode', ['mode'], true);
        m = f === false ? 'on' : 'inference';
      }
      return av({ kind: Kind.LIBINST, lib: ['grad-mode'], lit: m, site: node.id });
    }
    const diffFn = differentiatingFunction(q);
    if (diffFn) {
      this.libraryDerivative({ classes: null, methods: new Set(), library: diffFn.library, why: diffFn.why }, '()', node, env, frame);
      return UNKNOWN;
    }
    const off = RUNS_WITHOUT_RECORDING[q];
    if (off) this.runWithoutRecording(off, args, node, env, frame);
    if (q === TORCH_CHECKPOINT) {
      const r = this.checkpointed(args, node, env, frame);
      if (r) return r;
    }
    if (q === 'torch.autograd.backward') return this.backward(args.pos[0] ?? UNKNOWN, args, AUTOGRAD_BACKWARD_PARAMS, 1, node, env, frame, true);
    if (TORCH_COMPILE.has(q)) return this.compiled(args.pos[0] ?? args.kw.get('model') ?? UNKNOWN, args.kw.get('backend'), node);
    // A tensor method called through its class, `torch.Tensor.detach(h)` (also as a function value passed on:
    // `apply_to_tensor(hidden, torch.Tensor.detach)`): the method on its first argument.
    const unbound = /^torch\.Tensor\.([a-z_]\w*)$/.exec(q);
    if (unbound && args.pos.length > 0) {
      const rest: Args = { ...args, pos: args.pos.slice(1), posNodes: args.posNodes.slice(1) };
      return this.method(args.pos[0]!, unbound[1]!, rest, node, args.posNodes[0] ?? node, env, frame);
    }
    if (q.startsWith('torch.')) return this.noDoubleBackward(q, args, node, this.torchFunction(q, args, node, env, frame), frame);
    if (SCALERS.has(q)) return av({ kind: Kind.LIBINST, lib: [q], site: node.id, obj: node.id });
    if (q.startsWith('numpy.') || q.startsWith('scipy.') || q.startsWith('pandas.') || q.startsWith('sklearn.')) return this.arrayFunction(q, args, node);
    // CuPy (and its SciPy-like `cupyx`) arrays live on the GPU but are no PyTorch tensors: no autograd records them.
    if (q.startsWith('cupy.') || q.startsWith('cupyx.')) return this.arrayFunction(q, args, node);
    if (q.startsWith('math.')) return av({ kind: Kind.NUMBER, t: this.cutOf([...args.pos], node) });
    if (q === 'functools.partial') return args.pos[0] ?? UNKNOWN;
    if (q === 'copy.deepcopy') return deepCopied(args.pos[0] ?? UNKNOWN, node.id);
    if (q === 'copy.copy') return args.pos[0] ?? UNKNOWN;
    if (q === 'torch.nn.Parameter') return this.parameter(args, node);
    if (!q.includes('.') || q === 'collections.OrderedDict' || q === 'collections.namedtuple' || q === 'typing.cast') return this.builtin(q, args, node, env, frame);
    const root = q.split('.')[0];
    const vision = torchvisionModel(q);
    if (vision) return this.knownModel(q, vision, node);
    if (LIGHTNING_BASES.has(q) || root === 'lightning' || root === 'pytorch_lightning') return av({ kind: Kind.LIBINST, lib: [q], site: node.id });
    // An object of a library whose results carry no graph (a Captum attribution method wrapping the model).
    if (graphlessLibrary(q)) return av({ kind: Kind.LIBINST, lib: [q], site: node.id });
    // torchvision.ops without a double backward (RoI Align, deformable convolution): a function's result is computed
    // from its tensor arguments and marked; a module (`DeformConv2d(...)`, with a weight) marks its calls.
    if (q.startsWith('torchvision.ops.') && q in NO_DOUBLE_BACKWARD) {
      const last = q.slice(q.lastIndexOf('.') + 1);
      if (/^[A-Z]/.test(last)) return av({ kind: Kind.LIBINST, lib: [q], site: node.id, mod: { ...EMPTY_MODULE, params: last === 'DeformConv2d' ? [node.id] : NO_IDS } });
      const tensors = [...args.pos, ...args.kw.values()].filter((a) => a.t);
      return this.noDoubleBackward(q, args, node, this.op(tensors, node, env), frame);
    }
    // torchvision's data transforms (`transforms.Compose([...])`, `transforms.Normalize(...)`): no parameters; a call
    // computes from its input (differentiably for tensor ones) and records no graph of its own.
    if (q.startsWith('torchvision.transforms.')) {
      const last = q.slice(q.lastIndexOf('.') + 1);
      if (/^[A-Z]/.test(last)) return av({ kind: Kind.LIBINST, lib: [q], site: node.id, mod: { ...EMPTY_MODULE } });
      return this.op([...args.pos, ...args.kw.values()].filter((a) => a.t), node, env);
    }
    // tiny-cuda-nn's fused networks: modules with parameters whose calls have no double backward.
    if (q.startsWith('tinycudann.') && q in NO_DOUBLE_BACKWARD) return av({ kind: Kind.LIBINST, lib: [q], site: node.id, mod: { ...EMPTY_MODULE, params: [node.id] } });
    // An attack or CAM object that differentiates the model it wraps when called (DIFFERENTIATES_INSIDE).
    if (differentiatesInside(q)) return av({ kind: Kind.LIBINST, lib: [q], site: node.id });
    if (LIBRARY_ROOTS.has(root)) {
      this.callbacks(args, node, env, frame);
      return av({ kind: Kind.UNKNOWN, t: this.cutOf([...args.pos], node) });
    }
    // A function or class of another module of the project (or an unknown library). A name imported from a
    // module is a function or a class, not a model instance, unless it is named like one (`from models import
    // G`, `... import model`): it runs a model only if it is given one. Otherwise its result carries the graphs
    // of its arguments but none of its own (`to_one_hot(y, 10)`, `get_mnist_train_loader(batch_size=...)`:
    // a backward cannot free what the call did not record). AGL019.
    const ownGraph = MODEL_LIKE_NAME.test(q.split('.').pop() ?? '') || this.passesModel(args);
    return this.unknownCall(args, node, env, frame, av({ kind: Kind.LIB, lib: [q] }), ownGraph);
  }

  /**
   * A model a library builds whose layers are knowledge (TORCHVISION_MODELS): a module with parameters whose
   * nonlinearities are piecewise linear or curved, coupling the batch through BatchNorm in training mode.
   */
  private knownModel(q: string, facts: KnownModel, node: PyNode): AV {
    const own = [node.id];
    const mod: ModuleFacts = {
      ...EMPTY_MODULE,
      params: own,
      pwl: facts.shape === 'pwl' ? own : NO_IDS,
      curved: facts.shape === 'curved' ? own : NO_IDS,
      coupled: facts.batchNorm ? own : NO_IDS,
    };
    return av({ kind: Kind.LIBINST, lib: [q], site: node.id, mod });
  }

  /** Whether a call is given something that may be a model: a module instance, a function, or a model's name. */
  private passesModel(args: Args): boolean {
    const vals = [...args.pos, ...args.kw.values()];
    if (vals.some((a) => isKind(a, Kind.FUNC) || isKind(a, Kind.CLASS) || (isKind(a, Kind.INST) && a.classes.some((c) => this.I.isModuleClass(c))) || isKind(a, Kind.LIBINST))) return true;
    const nodes = [...args.posNodes, ...args.kwNodes.values()];
    return nodes.some((n) => MODEL_LIKE_NAME.test(this.lastName(n)));
  }

  /**
   * Marks the result of an operation whose backward cannot be differentiated again (NO_DOUBLE_BACKWARD)
   * when it is on a differentiable path: a second derivative through it raises.
   */
  private noDoubleBackward(q: string, args: Args, node: PyNode, r: AV, frame: Frame): AV {
    if (!(q in NO_DOUBLE_BACKWARD) || !r.t) return r;
    // Inside a module's method the parameters of `self` are not tracked (the module call adds them): there
    // the operation may be on the differentiable path too.
    if (!requiresGradish(r.t) && !(frame.cls && this.I.isModuleClass(frame.cls))) return r;
    if (q === 'torch.cdist' && !this.cdistTakesNoDoublePath(args)) return r;
    return withNoDouble(r, node.id);
  }

  /**
   * Whether `torch.cdist(x1, x2, p, compute_mode)` computes through `_cdist_forward`, whose backward has no
   * derivative: any p other than 2, `donot_use_mm_for_euclid_dist`, and by default (p = 2,
   * `use_mm_for_euclid_dist_if_necessary`) when neither point set visibly has more than 25 rows.
   * `use_mm_for_euclid_dist` with p = 2 builds the distances from matmul, which differentiates twice.
   */
  private cdistTakesNoDoublePath(args: Args): boolean {
    const params = ['x1', 'x2', 'p', 'compute_mode'];
    const pArg = this.arg(args, 'p', params);
    const modeArg = this.arg(args, 'compute_mode', params);
    if (pArg.kind === 'unknown' || modeArg.kind === 'unknown') return false;
    const p = pArg.kind === 'found' ? pArg.value.lit : 2;
    const mode = modeArg.kind === 'found' ? modeArg.value.lit : 'use_mm_for_euclid_dist_if_necessary';
    if (typeof p !== 'number' || typeof mode !== 'string') return false;
    if (p !== 2) return true;
    if (mode === 'donot_use_mm_for_euclid_dist') return true;
    if (mode !== 'use_mm_for_euclid_dist_if_necessary') return false;
    const rows = (v: AV | undefined): number | null => {
      const d = v?.t?.dims;
      return d && d.length >= 2 ? d[d.length - 2] : null;
    };
    return [args.pos[0], args.pos[1] ?? args.kw.get('x2')].every((v) => {
      const n = rows(v);
      return n === null || n <= 25;
    });
  }

  /**
   * `Fn.apply(...)` of a custom `torch.autograd.Function` defined in the file: a differentiable operation
   * on its tensor arguments; with a backward decorated `@once_differentiable`, one that cannot be
   * differentiated twice.
   */
  private autogradFunctionApply(receiver: AV, args: Args, node: PyNode, env: Env, frame: Frame): AV | null {
    const fns = receiver.classes.filter((c) => this.I.libBasesOf(c).some((b) => AUTOGRAD_FUNCTION_BASES.has(b)));
    if (fns.length === 0) return null;
    const parts = [...args.pos, ...args.kw.values()].filter((p) => p.t);
    const r = this.op(parts, node, env, null);
    const once = fns.some((c) => {
      const bw = this.I.methodOf(c, 'backward');
      const dec = bw?.parent?.type === 'decorated_definition' ? bw.parent : null;
      if (!dec) return false;
      const names = [...ONCE_DIFFERENTIABLE].map((q) => q.slice(q.lastIndexOf('.') + 1));
      return dec.children.some((d) => d.type === 'decorator' && names.some((n) => new RegExp(`(?:^@|\\.)\\s*${n}\\s*$`).test(this.text(d).trim())));
    });
    // A backward built from intermediates forward kept on ctx (computed with recording off: no graph to the
    // input) gives a first derivative whose own derivative misses those terms.
    const graphless =
      !once &&
      fns.some((c) => {
        const fwd = this.I.methodOf(c, 'forward');
        const bwd = this.I.methodOf(c, 'backward');
        return !!fwd && !!bwd && graphlessIntermediate(this.m, fwd, bwd) !== null;
      });
    // What forward saves with `ctx.save_for_backward`: its output, or inputs as `apply` receives them (AGL020).
    let out = r;
    if (fns.length === 1 && !this.I.methodOf(fns[0], 'setup_context')) {
      const fwd = this.I.methodOf(fns[0], 'forward');
      const saves = fwd ? savedByForward(this.m, fwd) : null;
      if (saves?.output) out = this.saveOutput(out, node);
      const call = this.m.call(node);
      if (saves && saves.inputs.length > 0 && call && !call.hasStarArgs) {
        this.saveInputs(saves.inputs.map((i) => call.positional[i]), saves.inputs.map((i) => args.pos[i] ?? UNKNOWN), node, env, frame, true);
      }
    }
    if ((!once && !graphless) || !out.t || !requiresGradish(out.t)) return out;
    return withNoDouble(out, node.id);
  }

  private cutOf(parts: AV[], node: PyNode): TensorFacts | null {
    const ts = parts.filter((p) => p.t);
    if (ts.length === 0) return null;
    return cutTensor(combineTensors(ts.map((p) => p.t)), node.id);
  }

  private builtin(q: string, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    const a0 = args.pos[0] ?? UNKNOWN;
    if (PYTHON_CUTS.has(q) && q !== 'list' && q !== 'tuple') {
      if (a0.t && (q === 'float' || q === 'int')) this.conversion(node, a0, `\`${q}()\``);
      if (a0.t) return av({ kind: q === 'str' || q === 'repr' ? Kind.STRING : Kind.NUMBER, t: cutTensor(a0.t, node.id, false) });
      return q === 'str' || q === 'repr' ? STRING : q === 'bool' ? BOOL : NUMBER;
    }
    switch (q) {
      case 'range':
        return seq(null, NUMBER, node.id);
      case 'enumerate':
        return seq(null, seq([NUMBER, this.I.elementOf(a0)]), node.id);
      case 'zip':
        return seq(null, seq(args.pos.map((a) => this.I.elementOf(a))), node.id);
      case 'len':
      case 'id':
      case 'hash':
        return NUMBER;
      case 'isinstance': {
        const cls = args.pos[1];
        const isTensorClass = !!cls && cls.lib.some((q) => /^(?:torch\.Tensor|tensorflow\.Tensor|numpy\.ndarray)$/.test(q));
        if (isTensorClass) return tensorCheck(a0, cls!.lib.some((q) => q === 'numpy.ndarray') ? Kind.ARRAY : Kind.TENSOR);
        // `isinstance(nets, list)` of a value known to be no container (a module, a tensor): False.
        const container = args.posNodes[1] ? this.text(args.posNodes[1]) : '';
        const mapping = container === 'dict' || /^(?:collections\.abc|typing)\.Mapping$/.test(cls?.lib[0] ?? '');
        const bits = container === 'list' || container === 'tuple' ? Kind.SEQ : mapping ? Kind.DICT : /^(?:collections\.abc|typing)\.Sequence$/.test(cls?.lib[0] ?? '') ? Kind.SEQ | Kind.STRING : 0;
        if (bits !== 0 && a0.kind !== 0 && (a0.kind & (bits | Kind.UNKNOWN)) === 0) return av({ kind: Kind.BOOL, lit: false });
        // `isinstance(x, dict)` of a value that can only be a dict (a dict literal or comprehension): True.
        if (mapping && a0.kind === Kind.DICT) return av({ kind: Kind.BOOL, lit: true });
        return BOOL;
      }
      case 'issubclass':
      case 'hasattr':
      case 'callable':
      case 'all':
      case 'any':
        return BOOL;
      case 'print':
      case 'setattr':
        return NONE;
      case 'sum': {
        const e = this.I.elementOf(a0);
        return e.t ? this.op([e, ...(args.pos[1] ? [args.pos[1]] : [])], node, env, e.t.dims) : isKind(e, Kind.UNKNOWN) ? UNKNOWN : NUMBER;
      }
      case 'max':
      case 'min':
      case 'abs':
      case 'next':
        return args.pos.length === 1 && q !== 'abs' ? this.I.elementOf(a0) : args.pos.reduce<AV>((x, y) => join(x, y), BOTTOM) || UNKNOWN;
      case 'map': {
        // `map(lambda p: p[1] - lr * p[0], zip(grads, weights))`: the function on an element of each iterable.
        const f = args.pos[0];
        if (!f || !isKind(f, Kind.FUNC) || args.pos.length < 2) return seq(null, UNKNOWN, node.id);
        const elems = args.pos.slice(1).map((a) => this.I.elementOf(a));
        return seq(null, this.invoke(f, positionalArgs(elems), node, env, frame), node.id);
      }
      case 'dict':
      case 'collections.OrderedDict': {
        // `dict(pairs)` / `OrderedDict(model.named_parameters())`: the values are the pairs' second items
        // (a dict argument: its values), joined with the keywords' values.
        let elem: AV = BOTTOM;
        if (args.pos[0]) {
          const pair = this.I.elementOf(a0).items;
          elem = isKind(a0, Kind.DICT) ? this.I.elementOf(a0) : pair && pair.length === 2 ? pair[1] : UNKNOWN;
        }
        for (const v of args.kw.values()) elem = join(elem, v);
        return av({ kind: Kind.DICT, elem: elem === BOTTOM ? UNKNOWN : elem, keys: args.pos[0] ? null : new Map(args.kw), site: node.id });
      }
      case 'collections.namedtuple': {
        // A class of tuples with named fields: calling it makes a tuple of its arguments, no computation of its own.
        const spec = args.pos[1] ?? args.kw.get('field_names');
        const fields = spec?.items ? spec.items.map((f) => (typeof f.lit === 'string' ? f.lit : '')) : typeof spec?.lit === 'string' ? spec.lit.split(/[\s,]+/).filter((f) => f) : [];
        return av({ kind: Kind.LIB, lib: [NAMEDTUPLE_CLASS], items: fields.map((f) => av({ kind: Kind.STRING, lit: f })), site: node.id });
      }
      case 'getattr': {
        const name = args.pos[1]?.lit;
        return typeof name === 'string' ? this.attributeOf(a0, name, node, env, frame) : UNKNOWN;
      }
      case 'super':
        return av({ kind: Kind.UNKNOWN, lib: ['super'], classes: frame.cls ? frame.cls.bases : [], site: node.id });
      case 'type':
        // `type(h)(...)`: the class of a value, called below (`TYPE_OF`).
        return args.pos.length === 1 ? av({ kind: Kind.LIB, lib: [TYPE_OF], site: node.id }) : UNKNOWN;
      case TYPE_OF: {
        // `type(h)(v for v in h)`, `type(x)({k: f(v) for k, v in x.items()})`: a container of the same class, rebuilt
        // from these elements (a detaching helper's rebuilt hidden state holds the detached tensors, not the old ones).
        // Given anything but a container (`type(self)(**config)` makes a new module) it is an unknown call, as before.
        const containerOnly = a0.kind !== 0 && (a0.kind & ~(Kind.SEQ | Kind.DICT)) === 0;
        if (args.pos.length === 1 && args.kw.size === 0 && !args.star && !args.dstar && containerOnly) return a0;
        return this.unknownCall(args, node, env, frame, UNKNOWN);
      }
      case 'typing.cast':
        // `cast(T, v)` only tells a type checker what `v` is.
        return args.pos[1] ?? UNKNOWN;
      default:
        if (PASS_THROUGH_BUILTINS.has(q) || q === 'list' || q === 'tuple') return seq(a0.items ?? null, this.I.elementOf(a0), node.id);
        return this.unknownCall(args, node, env, frame, av({ kind: Kind.LIB, lib: [q] }));
    }
  }

  private arrayFunction(q: string, args: Args, node: PyNode): AV {
    const parts = [...args.pos, ...args.kw.values()];
    for (const p of parts) if (isKind(p, Kind.TENSOR) && q.startsWith('numpy.')) this.conversion(node, p, `NumPy \`${q.replace(/^numpy\./, 'np.')}\``);
    const t = this.cutOf(parts, node);
    const name = q.slice(q.lastIndexOf('.') + 1);
    let dims: Dims = null;
    if (name === 'linspace' || name === 'logspace') {
      const n = args.kw.get('num')?.lit ?? args.pos[2]?.lit ?? 50;
      dims = typeof n === 'number' ? [n] : [null];
    } else if (name === 'arange') dims = [null];
    else if (name === 'expand_dims' && args.pos[0]?.t) dims = unsqueezedDims(args.pos[0].t.dims, (args.kw.get('axis') ?? args.pos[1])?.lit);
    else if (name === 'reshape' && args.pos[0]?.t) dims = inferredSize(args.pos[0].t.dims, shapeArg(args.kw.get('newshape') ?? args.kw.get('shape') ?? args.pos[1]));
    else if (/^numpy\.random\.(rand|randn)$/.test(q)) dims = literalDims(args.pos);
    else if (/^numpy\.random\.(random|random_sample|sample|ranf)$/.test(q)) dims = shapeArg(args.kw.get('size') ?? args.pos[0]);
    else if (/^numpy\.(zeros|ones|empty|random\.uniform|random\.normal)$/.test(q)) dims = shapeArg(args.kw.get('size') ?? args.kw.get('shape') ?? args.pos[q.includes('random') ? 2 : 0]);
    else if (name === 'array' || name === 'asarray') dims = args.pos[0]?.t?.dims ?? literalShape(args.pos[0]);
    const norm = t?.norm ?? null;
    return av({ kind: Kind.ARRAY, t: tensorFacts({ ...(t ?? EMPTY_TENSOR), dims: dims ?? t?.dims ?? null, norm, dtype: 'float' }), site: node.id });
  }

  private parameter(args: Args, node: PyNode): AV {
    const a0 = args.pos[0];
    const dims = a0?.t?.dims ?? null;
    const rg = this.flag(args, 'requires_grad', ['data', 'requires_grad'], true);
    if (rg === false) return av({ kind: Kind.TENSOR, t: tensorFacts({ dims }), site: node.id });
    return av({ kind: Kind.TENSOR, t: tensorFacts({ params: [node.id], variable: true, dims, dtype: 'float' }), site: node.id });
  }

  private torchFunction(q: string, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    const parts = [...args.pos, ...args.kw.values()].filter((p) => p.t || isKind(p, Kind.TENSOR));
    if (q === 'torch.mul' || q === 'torch.multiply') this.noteLogProduct(node, args.pos[0], args.pos[1], args.posNodes[0], args.posNodes[1]);
    const a0 = args.pos[0] ?? UNKNOWN;
    // Modules and optimizers (classes under torch.nn / torch.optim).
    const last = q.slice(q.lastIndexOf('.') + 1);
    // With `out=`, PyTorch records no graph (it raises if an input requires grad): nothing is saved for backward.
    const saves = !args.kw.has('out');
    if (this.sampleRanks > 0) this.sampleDim(DIM_ARGUMENT[q], a0, args, node, frame);
    if (a0.t && (VALUES_AND_INDICES.has(last) || (REDUCTIONS_WITH_INDICES.has(last) && (args.kw.has('dim') || (args.pos.length >= 2 && isKind(args.pos[1], Kind.NUMBER)))))) {
      return this.valuesAndIndices(a0, node, env);
    }
    if (/^[A-Z]/.test(last)) {
      if (OPTIMIZER_PREFIXES.some((p) => q.startsWith(p))) {
        const params: TensorFacts[] = [];
        const collect = (v: AV): void => {
          if (v.items) v.items.forEach(collect);
          else if (isKind(v, Kind.DICT)) {
            const p = v.keys?.get('params');
            if (p) collect(p);
          } else if (v.elem && isKind(v, Kind.SEQ)) collect(v.elem);
          else if (v.t && isKind(v, Kind.TENSOR)) params.push(v.t);
        };
        collect(a0);
        this.I.record('optimizers', { node, params });
        return av({ kind: Kind.LIBINST, lib: [q], site: node.id, obj: node.id, elem: a0 });
      }
      // `nn.Parameter(t)` is a tensor (a leaf that requires grad), not a module: made before the module classes are.
      if (q === 'torch.nn.Parameter' || q === 'torch.nn.parameter.Parameter') return this.parameter(args, node);
      if (q.startsWith('torch.nn.') && !q.startsWith('torch.nn.functional.')) return this.makeModule(q, args, node);
      // A DataLoader (or Dataset wrapper) yields batches freshly collated from the dataset, never a graph of
      // an earlier iteration: a dataset made by a call the analysis cannot see (`datasets.MNIST(...,
      // transform=...)`) looked like a model call, and the first backward of the training loop "freed" it.
      if (q.startsWith('torch.utils.data.')) return av({ kind: Kind.LIBINST, lib: [q], site: node.id, elem: freshBatch(this.I.elementOf(a0)) });
      // A distribution keeps its parameters' graphs: `rsample()`, `log_prob()` and `.mean` differentiate through them.
      if (q.startsWith('torch.distributions.')) {
        const params = combineTensors(parts.map((p) => p.t));
        return av({ kind: Kind.LIBINST, lib: [q], site: node.id, elem: av({ kind: Kind.TENSOR, t: params, site: node.id }) });
      }
    }
    if (q === 'torch.is_tensor') return tensorCheck(a0, Kind.TENSOR);
    if (TORCH_FACTORIES.has(q)) return this.factory(q, args, node, env, frame);
    if (TORCH_PASS_THROUGH.has(q)) {
      const rg = this.flag(args, 'requires_grad', ['data', 'requires_grad'], false);
      if (q === 'torch.nn.Parameter' || q === 'torch.nn.parameter.Parameter') return this.parameter(args, node);
      // `Variable(t)` (deprecated) returns a new leaf holding `t`'s data, without its history, whether or not it is asked to
      // require grad (measured with PyTorch 1.13: `Variable(w * 2)` has no `grad_fn`; test/fixtures/lint/AGL117/bad.py).
      if (q === 'torch.autograd.Variable' && a0.t && isKind(a0, Kind.TENSOR)) {
        const copy = av({ kind: Kind.TENSOR, t: cutTensor(a0.t, node.id), site: node.id });
        return rg === true ? this.markLeaf(copy, node, 'factory', node, env, frame) : copy;
      }
      if (rg === true) return this.markLeaf(a0, node, 'factory', node, env, frame);
      // `torch.as_tensor(array)`: a tensor holding the array's values, with the array's facts (a cut stays a cut).
      if (a0.t && isKind(a0, Kind.ARRAY)) return av({ kind: Kind.TENSOR, t: a0.t, site: node.id });
      // `torch.as_tensor((a, b))`, `torch.as_tensor(list_of_losses)`: only a tensor (or an array) is taken as it is; a Python
      // sequence of tensors is read element by element (each a one-element tensor) into new storage, as `torch.tensor`
      // does: the result has no history to them.
      if (!a0.t && q === 'torch.as_tensor' && isKind(a0, Kind.SEQ) && !isKind(a0, Kind.TENSOR | Kind.ARRAY | Kind.UNKNOWN)) {
        const items = a0.items ?? (a0.elem ? [a0.elem] : []);
        const src = combineTensors(items.map((x) => x.t));
        if (items.some((x) => x.t && isKind(x, Kind.TENSOR))) return av({ kind: Kind.TENSOR, t: tensorFacts({ ...cutTensor(src, node.id, false), dtype: src.dtype }), site: node.id });
      }
      return a0.t ? a0 : av({ kind: Kind.TENSOR, t: a0.t ?? tensorFacts({}), site: node.id });
    }
    if (TORCH_ZERO_GRAD_FUNCTIONS.has(q)) return av({ kind: Kind.TENSOR, t: this.cutOf(parts, node) ?? tensorFacts({}), site: node.id });
    if (TORCH_FLATTEN_SEQUENCE.has(q)) return this.op(a0.items ?? [this.I.elementOf(a0)], node, env, [null]);
    if (TORCH_SEQUENCE_OPS.has(q)) {
      const e = this.I.elementOf(a0);
      const items = a0.items ?? [e];
      // The items are built to one shape: the first one whose shape is visible gives it.
      const ed = (a0.items ?? []).find((x) => x.t?.dims)?.t?.dims ?? e.t?.dims ?? null;
      // stack adds a leading axis; cat keeps the rank.
      const exact = q === 'torch.cat' || q === 'torch.concat' || q === 'torch.stack' ? joinedDims(q === 'torch.stack', a0.items ?? null, args.kw.get('dim') ?? args.pos[1]) : undefined;
      const dims: Dims = exact !== undefined ? exact : ed === null ? null : q === 'torch.stack' ? [a0.items ? a0.items.length : null, ...ed] : ed.map(() => null);
      return this.op(items, node, env, dims);
    }
    // `torch.flatten(g, start_dim=1)`: the function form of `g.flatten(1)`, a reshape (a per-sample flatten before a
    // penalty's norm keeps the batch axis and joins the others).
    // `torch.unsqueeze(x, 1)`, `torch.reshape(x, (-1, 1))`: the function forms of the methods.
    if (q === 'torch.unsqueeze' && a0.t) return this.viewed(this.reshaped(a0, unsqueezedDims(a0.t.dims, (args.kw.get('dim') ?? args.pos[1])?.lit), node), a0);
    if (q === 'torch.reshape' && a0.t) return this.reshaped(a0, inferredSize(a0.t.dims, shapeArg(args.kw.get('shape') ?? args.pos[1])), node);
    if (q === 'torch.flatten' && a0.t) return this.reshaped(a0, flattenedDims(a0.t.dims, args.kw.get('start_dim') ?? args.pos[1], args.kw.get('end_dim') ?? args.pos[2]), node);
    if (q === 'torch.norm' || q === 'torch.linalg.norm' || q === 'torch.linalg.vector_norm') this.noteNorm(a0, (args.kw.get('dim') ?? args.pos[q === 'torch.norm' ? 2 : 2])?.lit, node, frame);
    // `torch.max(torch.sqrt(s), eps)`, `torch.maximum(...)`, `torch.clamp(torch.sqrt(s), min=eps)`: a floor after the root.
    if (/^torch\.(?:max|maximum|fmax|clamp|clip|clamp_min)$/.test(q) && args.pos.length >= 1) {
      const elementwise = /^torch\.(?:maximum|fmax)$/.test(q) || (q === 'torch.max' && !!args.pos[1]?.t && isKind(args.pos[1], Kind.TENSOR));
      const floorAt = q === 'torch.clamp' || q === 'torch.clip' ? (args.kw.has('min') ? 'min' : 1) : q === 'torch.clamp_min' ? (args.kw.has('min') ? 'min' : 1) : elementwise ? 1 : null;
      if (floorAt !== null) {
        const fv = typeof floorAt === 'string' ? args.kw.get(floorAt) : args.pos[floorAt];
        const fnode = typeof floorAt === 'string' ? args.kwNodes.get(floorAt) : args.posNodes[floorAt];
        const floored = (fv && fv.lit !== null) || (fnode && this.positiveConstant(fnode, 0, 1e-2)) ? this.rootGuarded(a0, fv, fnode, node, frame) : [];
        if (floored.length > 0) {
          const base = combineTensors(parts.map((p) => p.t));
          return this.op(parts, node, env, a0.t?.dims ?? null, { risky: NO_IDS, masked: union(base.masked, floored), pwl: union(base.pwl, [node.id]) });
        }
      }
    }
    if (TORCH_REDUCTIONS.has(q)) {
      const hasDim = args.kw.has('dim') || args.kw.has('axis') || args.pos.length > 1;
      const base = combineTensors(parts.map((p) => p.t));
      // `torch.max`/`torch.min` select: piecewise linear in their inputs (their second derivative is zero).
      const extra = {
        ...(RISKY_FUNCTIONS.has(q) ? { risky: union(base.risky, this.riskySite(a0, node)) } : {}),
        ...(PIECEWISE_LINEAR_FUNCTIONS.has(q) ? { pwl: union(base.pwl, [node.id]) } : {}),
        ...(CURVED_REDUCTIONS.has(last) && dependsOnInput(base) ? { curved: union(base.curved, [node.id]) } : {}),
      };
      let r = this.op(parts, node, env, hasDim ? reducedDims(q, a0, args) : [], extra);
      if (saves && SAVES_INPUT.has(last)) this.saveInputs(args.posNodes, args.pos, node, env, frame, true);
      if (saves && SAVES_OUTPUT.has(last)) r = this.saveOutput(r, node);
      return r;
    }
    if (LOSS_FUNCTION.test(q)) {
      const red = args.kw.get('reduction')?.lit;
      return this.op(parts, node, env, red === 'none' ? (a0.t?.dims ?? null) : [], { ...curvedLoss(q, parts, node), zeroData: this.lossZeroData(q, parts) });
    }
    if (args.kw.get('inplace')?.lit === true && args.posNodes[0] && a0.t) this.inplaceOn(args.posNodes[0], a0, `inplace=${q.replace(/^torch\.nn\.functional\./, 'F.')}`, node, env, frame);
    if (PIECEWISE_LINEAR_FUNCTIONS.has(q)) {
      const base = combineTensors(parts.map((p) => p.t));
      const r = this.op(parts, node, env, a0.t?.dims ?? null, { pwl: union(base.pwl, [node.id]) });
      if (saves && SAVES_INPUT.has(last)) this.saveInputs(args.posNodes, args.pos, node, env, frame, true);
      return saves && SAVES_OUTPUT.has(last) ? this.saveOutput(r, node) : r;
    }
    if (q === 'torch.nn.functional.batch_norm') {
      const training = this.flag(args, 'training', ['input', 'running_mean', 'running_var', 'weight', 'bias', 'training'], false);
      const base = combineTensors(parts.map((p) => p.t));
      return this.op(parts, node, env, a0.t?.dims ?? null, training !== false ? { coupled: union(base.coupled, [node.id]) } : {});
    }
    if (q === 'torch.where' && args.pos.length >= 3) {
      // The condition carries no gradient; the branches do. A NaN in the unused branch still poisons it.
      const branches = args.pos.slice(1);
      const masked = this.whereMasked(args.posNodes[0] ?? null, branches, node, frame, { branchNodes: args.posNodes.slice(1) });
      const base = combineTensors(branches.map((b) => b.t));
      // No gradient flows through the condition: what only the condition depended on is cut here.
      const condCuts = a0.t ? cutTensor(a0.t, node.id).cuts : [];
      return this.op(branches, node, env, branches[0]?.t?.dims ?? a0.t?.dims ?? null, { risky: NO_IDS, masked: union(base.masked, masked), cuts: [...base.cuts, ...condCuts] });
    }
    if (q === 'torch.nan_to_num') {
      const masked = this.nonFiniteCleaned(a0, node, frame);
      const base = combineTensors(parts.map((p) => p.t));
      return this.op(parts, node, env, a0.t?.dims ?? null, masked.length > 0 ? { risky: NO_IDS, masked: union(base.masked, masked) } : {});
    }
    if (q === 'torch.matmul' || q === 'torch.mm' || q === 'torch.bmm') {
      const r = this.op(parts, node, env, matmulDims(args.pos[0]?.t?.dims ?? null, args.pos[1]?.t?.dims ?? null));
      // Each operand is saved for the other's derivative (derivatives.yaml: mm's `self` needs `mat2` and the reverse), so
      // an operand is saved when the other one requires grad: changing it in place afterwards breaks the backward pass.
      const [l, rt] = [args.pos[0], args.pos[1]];
      if (saves && l && rt && !args.kw.size) {
        if (rt.t && requiresGradish(rt.t)) this.saveInputs([args.posNodes[0]], [l], node, env, frame, true);
        if (l.t && requiresGradish(l.t)) this.saveInputs([args.posNodes[1]], [rt], node, env, frame, true);
      }
      return r;
    }
    if (q === 'torch.no_grad' || q === 'torch.enable_grad') return av({ kind: Kind.LIBINST, lib: ['grad-mode'], lit: q === 'torch.no_grad' ? 'off' : 'on', site: node.id });
    if (q === 'torch.manual_seed' || q.startsWith('torch.cuda.') || q.startsWith('torch.backends.') || q === 'torch.set_default_dtype' || q === 'torch.device') return UNKNOWN;
    if (q === 'torch.save' || q === 'torch.load' || q.startsWith('torch.jit.') || q.startsWith('torch.distributed.')) return UNKNOWN;
    // `torch.Size([10000])`: a shape, a tuple of integers, no tensor.
    if (q === 'torch.Size') return seq(null, NUMBER, node.id);
    if (q === 'torch.chunk' || q === 'torch.split' || q === 'torch.unbind') return seq(null, this.op([a0], node, env, null), node.id);
    if (q === 'torch.func.vmap' || q === 'torch.vmap' || q === 'functorch.vmap') return this.transform(q, null, args, node);
    // `params, buffers = stack_module_state(models)`: each parameter stacked over the models into a new leaf that requires
    // grad (a dict by name), and the stacked buffers (https://pytorch.org/docs/stable/generated/torch.func.stack_module_state.html).
    if (q === 'torch.func.stack_module_state') {
      const params = av({ kind: Kind.DICT, elem: av({ kind: Kind.TENSOR, t: tensorFacts({ leafOf: node.id, dtype: 'float' }), site: node.id }), keys: null, site: node.id });
      const buffers = av({ kind: Kind.DICT, elem: av({ kind: Kind.TENSOR, t: tensorFacts({}), site: node.id }), keys: null, site: node.id });
      return seq([params, buffers], undefined, node.id);
    }
    if (q === 'torch.func.functional_call') {
      const r = this.invoke(a0, { ...args, pos: asList(args.pos[2] ?? UNKNOWN), posNodes: [] }, node, env, frame);
      // The module runs with the given weights (`params`, a dict of tensors: fast weights in meta-learning),
      // so its output depends on them too.
      const weights = args.pos[1] ? this.I.elementOf(args.pos[1]) : null;
      if (!weights?.t || !r.t) return r;
      return this.op([r, weights], node, env, r.t.dims);
    }
    const base = combineTensors(parts.map((p) => p.t));
    const infRisky = q.startsWith('torch.') && !q.startsWith('torch.nn.') ? this.infRisky(last, a0, node, args.pos[1] ?? args.kw.get('exponent')) : [];
    const risky = this.riskyFacts(base.risky, RISKY_FUNCTIONS.has(q) || q === 'torch.exp' ? this.riskySite(a0, node) : null, infRisky);
    const curved = SMOOTH_FUNCTIONS.has(last) && dependsOnInput(base) ? { curved: union(base.curved, [node.id]) } : {};
    const elementwise = parts.length > 0 && parts.every((p) => !p.t || p === a0 || p.t.dims === null || (p.t.dims.length === 0));
    const product = productDims(q, args.pos[0]?.t?.dims ?? null, args.pos[1]?.t?.dims ?? null);
    let r = this.op(parts, node, env, product !== undefined ? product : elementwise ? (a0.t?.dims ?? null) : null, { ...risky, ...curved });
    if (saves && SAVES_INPUT.has(last)) this.saveInputs(args.posNodes, args.pos, node, env, frame, true);
    if (saves && SAVES_OUTPUT.has(last)) r = this.saveOutput(r, node);
    // `torch.pow(x, t)` with a tensor exponent saves its result (for the exponent's derivative); with a
    // number it does not. An exponent made by a tensor-building call counts as a tensor.
    if (saves && last === 'pow' && (args.pos[1]?.t || (args.posNodes[1] && this.isTensorBuild(args.posNodes[1])))) r = this.saveOutput(r, node);
    if (VIEW_OPS.has(last)) r = keepSavesOfView(r, a0);
    return r;
  }

  private makeModule(q: string, args: Args, node: PyNode): AV {
    // `nn.DataParallel(model)`: the wrapped model itself, when the analysis knows it.
    if (MODULE_WRAPPERS.has(q)) {
      const inner = args.pos[0] ?? args.kw.get('module');
      if (inner && (inner.mod || isKind(inner, Kind.INST))) return inner;
    }
    if (LOSS_MODULE.test(q)) return av({ kind: Kind.LIBINST, lib: [q], site: node.id, lit: (args.kw.get('reduction')?.lit as string | undefined) ?? 'mean' });
    let mod: ModuleFacts;
    const inplace = args.kw.get('inplace')?.lit === true;
    if (MODULE_CONTAINERS.has(q)) {
      // `nn.Sequential(*layers)` of a list built with `append`: its layers are the list's elements (joined).
      // `nn.Sequential(OrderedDict([('fc1', nn.Linear(...)), ('act', nn.ReLU()), ...]))`: the dict's values, order unknown.
      const named = q === 'torch.nn.Sequential' && args.pos.length === 1 && !args.starElems && isKind(args.pos[0], Kind.DICT);
      const children = named ? [this.I.elementOf(args.pos[0])] : q === 'torch.nn.Sequential' ? [...args.pos, ...(args.starElems ?? [])] : asList(args.pos[0] ?? UNKNOWN);
      mod = EMPTY_MODULE;
      let out: number | null = null;
      for (const c of children) {
        if (c.mod) {
          mod = joinModule(mod, c.mod)!;
          if (c.mod.outFeatures !== null) out = c.mod.outFeatures;
        }
        if (isKind(c, Kind.INST) || isKind(c, Kind.UNKNOWN)) mod = joinModule(mod, unseenLayer(c, node.id))!;
      }
      mod = { ...mod, outFeatures: out };
      const v = av({ kind: Kind.LIBINST, lib: [q], site: node.id, mod, items: q === 'torch.nn.Sequential' && !args.starElems && !named ? args.pos : null, elem: children.reduce<AV>((a, b) => join(a, b), BOTTOM) || UNKNOWN });
      return v;
    }
    if (PIECEWISE_LINEAR_MODULES.has(q)) mod = { ...EMPTY_MODULE, pwl: [node.id] };
    else if (BATCH_COUPLING_MODULES.has(q)) mod = { ...EMPTY_MODULE, params: [node.id], coupled: [node.id] };
    else if (SMOOTH_MODULES.has(q)) mod = { ...EMPTY_MODULE, curved: [node.id] };
    else if (PARAMETERLESS_MODULES.test(q)) mod = EMPTY_MODULE;
    else {
      const spec = OUT_FEATURES_ARG[q];
      let out: number | null = null;
      if (spec) {
        const v = args.kw.get(spec.name)?.lit ?? args.pos[spec.index]?.lit;
        if (typeof v === 'number') out = v;
      }
      mod = { ...EMPTY_MODULE, params: [node.id], outFeatures: out };
    }
    return av({ kind: Kind.LIBINST, lib: [q], site: node.id, mod, lit: inplace ? 'inplace' : undefined });
  }

  private factory(q: string, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    const a0 = args.pos[0] ?? UNKNOWN;
    let dims: Dims = null;
    let dtype: TensorFacts['dtype'] = 'float';
    const dt = args.kw.get('dtype');
    const dtText = args.kwNodes.get('dtype') ? this.text(args.kwNodes.get('dtype')!) : '';
    if (/^(torch\.)?(zeros|ones|empty|rand|randn)$/.test(q.replace('torch.', ''))) dims = literalDims(args.pos) ?? shapeArg(a0);
    else if (q === 'torch.full') dims = shapeArg(a0);
    else if (q === 'torch.linspace' || q === 'torch.logspace') {
      const n = args.kw.get('steps')?.lit ?? args.pos[2]?.lit;
      dims = typeof n === 'number' ? [n] : [null];
    } else if (q === 'torch.arange') {
      const xs = args.pos.map((p) => p.lit);
      dims = xs.length === 1 && typeof xs[0] === 'number' ? [Math.max(0, Math.ceil(xs[0]))] : [null];
    } else if (/_like$/.test(q)) dims = a0.t?.dims ?? null;
    else if (/^torch\.[A-Z]\w*Tensor$/.test(q) && args.pos.length > 1 && args.pos.every((p) => !p.t && !p.items && (isKind(p, Kind.NUMBER) || isKind(p, Kind.UNKNOWN)))) {
      // `torch.FloatTensor(B, 1, 1, 1)`: sizes, not data.
      dims = literalDims(args.pos);
    } else if (q === 'torch.tensor' || q === 'torch.Tensor' || q === 'torch.FloatTensor' || q === 'torch.DoubleTensor' || q === 'torch.from_numpy' || q === 'torch.LongTensor') {
      dims = a0.t?.dims ?? literalShape(a0);
    } else if (q === 'torch.eye') {
      const n = a0.lit;
      dims = typeof n === 'number' ? [n, n] : [null, null];
    }
    // dtype
    if (dtText) dtype = /int|long|bool|short|uint/.test(dtText) ? (/bool/.test(dtText) ? 'bool' : 'int') : /complex/.test(dtText) ? 'complex' : 'float';
    else if (INTEGER_FACTORIES.has(q)) {
      const anyFloat = args.pos.some((p) => p.site === -2) || [...args.kw.values()].some((p) => p.site === -2);
      dtype = q === 'torch.arange' && anyFloat ? 'float' : 'int';
    } else if (q === 'torch.tensor' || q === 'torch.as_tensor') dtype = literalDtype(a0, this) ?? a0.t?.dtype ?? null;
    else if (q === 'torch.from_numpy') dtype = a0.t?.dtype ?? null;
    else if (q === 'torch.BoolTensor') dtype = 'bool';
    else if (q === 'torch.IntTensor') dtype = 'int';
    else if (/_like$/.test(q)) dtype = dt ? dtype : (a0.t?.dtype ?? 'float');
    // A copy of a tensor's data (`torch.tensor(t)`, `torch.Tensor(t)`) has no graph to it.
    let t: TensorFacts;
    if ((q === 'torch.tensor' || q === 'torch.Tensor' || q === 'torch.FloatTensor' || q === 'torch.DoubleTensor') && (a0.t || a0.elem?.t)) {
      const src = a0.t ?? a0.elem!.t!;
      t = tensorFacts({ ...cutTensor(src, node.id), dims, dtype, norm: src.norm });
    } else if (q === 'torch.from_numpy') {
      t = tensorFacts({ ...(a0.t ? cutTensor(a0.t, node.id) : EMPTY_TENSOR), dims, dtype, norm: a0.t?.norm ?? null });
    } else if (TORCH_NONREPARAM_SAMPLERS.has(q)) {
      // A draw: no gradient reaches the tensors that parametrize it.
      const src = combineTensors([...args.pos, ...args.kw.values()].map((p) => p.t));
      t = tensorFacts({ ...cutTensor(src, node.id, false), dims: /^torch\.(?:normal|bernoulli|poisson)$/.test(q) ? (a0.t?.dims ?? null) : null, dtype: q === 'torch.multinomial' ? 'int' : 'float' });
    } else t = tensorFacts({ dims, dtype });
    if (this.holdsLiteralInfinity(q, args)) t = tensorFacts({ ...t, inf: [node.id] });
    if (t.inf.includes(node.id) && this.holdsLiteralNaN(q, args)) this.nanData.add(node.id);
    // `torch.zeros(n)`: 0 in every entry; `torch.tensor(0.0)`, `torch.tensor([0.0, 1.0])`: literal data with a 0 entry
    // (all of it for a scalar). A root, logarithm or division of it (times anything differentiated) is singular there.
    const zeroKind = this.literalZeros(q, args);
    if (zeroKind) t = tensorFacts({ ...t, zeroData: this.zeroDataSite(node, zeroKind === 'partial') });
    if (env.recording.mode === 'inference') t = tensorFacts({ ...t, inference: true });
    const v = av({ kind: Kind.TENSOR, t, site: node.id });
    const rg = args.kw.get('requires_grad');
    if (rg && rg.lit !== false && rg.lit !== null && rg.lit !== 0) {
      if (rg.lit === true) return this.markLeaf(v, node, 'factory', node, env, frame);
    }
    return v;
  }

  /**
   * The zero data of a distance loss (`mse_loss`, `l1_loss`, `smooth_l1_loss`, `huber_loss` and their modules) between two
   * all-zero values: the loss is 0 (an RMSE `sqrt(mse_loss(...))` of it is at the root's singular point).
   */
  private lossZeroData(q: string, parts: readonly AV[]): readonly number[] {
    if (!/(?:mse_loss|l1_loss|huber_loss|MSELoss|L1Loss|SmoothL1Loss|HuberLoss)$/.test(q) || parts.length < 2) return NO_IDS;
    const [a, b] = parts;
    const all = (v: AV | undefined): boolean => !!v?.t && v.t.zeroData.length > 0 && v.t.zeroData.every((id) => !this.partialZeroData.has(id));
    return all(a) && all(b) ? union(a!.t!.zeroData, b!.t!.zeroData) : NO_IDS;
  }

  /**
   * Whether a PyTorch factory makes zero data: `torch.zeros(...)` (`'all'`), literal data with a 0 entry
   * (`torch.tensor([0.0, 2.0])`, `'partial'`; `torch.tensor(0.)`, `'all'`), not integer or boolean data (labels, masks).
   */
  private literalZeros(q: string, args: Args): 'all' | 'partial' | null {
    const dt = args.kwNodes.get('dtype');
    if (dt && /int|long|bool|short/i.test(this.text(dt))) return null;
    if (q === 'torch.zeros') return 'all';
    if (!/^torch\.(?:tensor|as_tensor|Tensor|FloatTensor|DoubleTensor)$/.test(q)) return null;
    const data = args.posNodes[0] ? unparen(args.posNodes[0]) : null;
    if (!data) return null;
    if (data.type === 'float') return Number(this.text(data).replace(/_/g, '')) === 0 ? 'all' : null;
    if (data.type !== 'list' && data.type !== 'tuple') return null;
    let zero = false;
    let float = false;
    const stack = [data];
    while (stack.length > 0) {
      const y = stack.pop()!;
      if (y.type === 'float') float = true;
      if ((y.type === 'integer' || y.type === 'float') && Number(this.text(y).replace(/_/g, '')) === 0) zero = true;
      if (y.type === 'list' || y.type === 'tuple' || y.type === 'unary_operator') for (const c of namedChildren(y)) stack.push(c);
    }
    return zero && (float || /Float|Double/.test(q)) ? 'partial' : null;
  }

  /**
   * A factory's data holds a literal infinity: `torch.tensor([0.0, math.inf])`, `torch.tensor(float('inf'))`,
   * `torch.full(shape, float('-inf'))`, `torch.full_like(x, torch.inf)`.
   */
  private holdsLiteralInfinity(q: string, args: Args): boolean {
    const dataAt = q === 'torch.full' || q === 'torch.full_like' ? 1 : /^torch\.(?:tensor|as_tensor|Tensor|FloatTensor|DoubleTensor)$/.test(q) ? 0 : -1;
    if (dataAt < 0) return false;
    const key = dataAt === 1 ? 'fill_value' : 'data';
    const n = args.posNodes[dataAt] ?? args.kwNodes.get(key);
    const v = args.pos[dataAt] ?? args.kw.get(key);
    // A NaN entry (`float('nan')`, `np.nan`) is as non-finite: an operation whose derivative depends on it has a NaN derivative there.
    const isInf = (x: AV | undefined): boolean =>
      !!x && (x.lit === Infinity || x.lit === -Infinity || (typeof x.lit === 'number' && Number.isNaN(x.lit)) || x.lib.some((q) => /^(?:math|numpy|torch)\.(?:inf|nan)$/.test(q)));
    if (isInf(v) || (v?.items ?? []).some(isInf)) return true;
    return !!n && /(?:\bfloat\(\s*['"][+-]?(?:inf(?:inity)?|nan)['"]\s*\)|\b(?:math|np|numpy|torch)\.(?:inf|nan)\b)/i.test(this.text(n));
  }

  /** Factories whose data holds a literal NaN (`torch.full(shape, float('nan'))`, `torch.tensor([1.0, np.nan])`). */
  private readonly nanData = new Set<number>();

  /**
   * Products of two differentiated values one of which is a logarithm (`p * log(p)`, `exp(logp) * logp` with
   * `logp = log_softmax(z)`): infinite or NaN where the logarithm is -inf (a probability of 0, a logit masked with
   * -inf), and there the derivative with respect to the other factor is that -inf. A cleaning afterwards (`nan_to_num`,
   * `where(isnan(y), 0, y)`) says those entries occur; its 0 times that derivative is NaN.
   */
  private readonly logProducts = new Set<number>();

  /** Whether an expression is visibly a logarithm (`log(p)`, `F.log_softmax(z)`, `-x.log()`), through names bound once. */
  private logValued(n: PyNode | null | undefined, depth = 0): boolean {
    if (!n || depth > 4) return false;
    const x = unparen(n);
    if (x.type === 'unary_operator') return this.text(field(x, 'operator') ?? x) === '-' && this.logValued(field(x, 'argument'), depth + 1);
    if (x.type === 'call') {
      const name = this.lastName(field(x, 'function'));
      if (!LOG_VALUED.test(name)) return false;
      // `log(p + eps)`, `log(clamp(p, min=eps))`: kept away from -inf.
      if (/^log(?:2|10)?$/.test(name)) {
        const fn = field(x, 'function');
        const method = fn?.type === 'attribute' && (this.m.qualifiedName(fn) ?? '') === '';
        const arg = method ? field(fn!, 'object') : namedChildren(field(x, 'arguments') ?? x)[0];
        const a = arg ? unparen(arg) : null;
        if (!a || this.throughGuard(x)) return false;
        if (a.type === 'binary_operator' && this.text(field(a, 'operator') ?? a) === '+' && (this.positiveConstant(field(a, 'right')) || this.positiveConstant(field(a, 'left')))) return false;
      }
      return true;
    }
    if (x.type === 'identifier') return this.logValued(this.onlyValue(x), depth + 1);
    return false;
  }

  /** The local names an expression reads, and those their single bindings read (three bindings deep). */
  private namesDeep(n: PyNode | null | undefined, depth = 0, out = new Set<string>()): Set<string> {
    if (!n) return out;
    const stack = [n];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x.type === 'identifier' && x.field !== 'attribute' && !this.m.qualifiedName(x)) {
        const name = this.text(x);
        if (!out.has(name)) {
          out.add(name);
          if (depth < 3) this.namesDeep(this.onlyValue(x), depth + 1, out);
        }
      }
      for (const c of x.children) stack.push(c);
    }
    return out;
  }

  /** `a * b` with `a` a logarithm of something `b` is computed from too (`p * log(p)`, `exp(logp) * logp`). */
  private logOfSameValue(node: PyNode, l: PyNode | null | undefined = field(node, 'left'), r: PyNode | null | undefined = field(node, 'right')): boolean {
    if (!l || !r || !(this.logValued(l) || this.logValued(r))) return false;
    const ln = this.namesDeep(l);
    return [...this.namesDeep(r)].some((x) => ln.has(x));
  }

  /**
   * A product written as a call (`torch.mul(p, log(p))`, `p.mul(p.log())`, `jnp.multiply`, `tf.math.multiply`) of two
   * differentiated values one of which is a logarithm of what the other is computed from: a log product (above).
   */
  noteLogProduct(node: PyNode, a: AV | undefined, b: AV | undefined, aNode: PyNode | undefined, bNode: PyNode | undefined): void {
    const differentiable = (t: TensorFacts | null | undefined): boolean => !!t && (dependsOnInput(t) || t.params.length > 0);
    if (differentiable(a?.t) && differentiable(b?.t) && this.logOfSameValue(node, aNode, bNode)) this.logProducts.add(node.id);
  }

  /** The log-product site `v` is (or the negation of one: `-(p * log(p))`), or null. */
  private logProductSite(v: AV | undefined): number | null {
    if (!v || v.site < 0) return null;
    if (this.logProducts.has(v.site)) return v.site;
    const n = this.m.tree.nodes[v.site];
    if (n?.type !== 'unary_operator' || this.text(field(n, 'operator') ?? n) !== '-') return null;
    const inner = field(n, 'argument');
    const u = inner ? unparen(inner) : null;
    return u && this.logProducts.has(u.id) ? u.id : null;
  }

  private holdsLiteralNaN(q: string, args: Args): boolean {
    const dataAt = q === 'torch.full' || q === 'torch.full_like' ? 1 : 0;
    const n = args.posNodes[dataAt] ?? args.kwNodes.get(dataAt === 1 ? 'fill_value' : 'data');
    // The entries' values, whatever the module's alias (`import numpy as onp`: `onp.nan`).
    const isNaN = (x: AV | undefined, depth = 0): boolean =>
      !!x && depth < 4 && ((typeof x.lit === 'number' && Number.isNaN(x.lit)) || x.lib.some((q) => /^(?:math|numpy|torch)\.nan$/.test(q)) || (x.items ?? []).some((i) => isNaN(i, depth + 1)));
    if (isNaN(args.pos[dataAt] ?? args.kw.get(dataAt === 1 ? 'fill_value' : 'data'))) return true;
    return !!n && /(?:\bfloat\(\s*['"][+-]?nan['"]\s*\)|\b(?:math|np|numpy|torch)\.nan\b)/i.test(this.text(n));
  }

  /**
   * `node` multiplies `data`, holding a literal NaN, by a differentiated value (trainable weights, a leaf): the derivative
   * with respect to that value is the data, NaN at those entries whatever is selected from the result afterwards.
   * Recorded as a `'nan'` guard record; the sites to add to the result's `risky` facet.
   */
  nanProduct(data: TensorFacts | null | undefined, other: TensorFacts | null | undefined, node: PyNode): number[] {
    if (!data || !other || !data.inf.some((id) => this.nanData.has(id))) return [];
    if (!(dependsOnInput(other) || other.params.length > 0)) return [];
    this.recordGuardOnto(node, node, 'nan');
    return [node.id];
  }

  /** A leaf made at `site` from `before` (`x.requires_grad_()`, `requires_grad=True`, `x.requires_grad = True`). */
  markLeaf(before: AV, site: PyNode, kind: 'method' | 'attribute' | 'factory', target: PyNode, env: Env, frame: Frame | null): AV {
    const b = before.t ?? tensorFacts({ opaque: isKind(before, Kind.UNKNOWN) });
    this.I.record('leaves', { node: site, kind, before, beforeAny: before, target, recording: env.recording, fn: frame?.fn ?? null }, (old, ev) => {
      old.beforeAny = join(old.beforeAny, ev.beforeAny);
    });
    // A tensor that already has history (a non-leaf) cannot become a leaf: requires_grad_() changes nothing.
    // `x.requires_grad = True` raises on a non-leaf, so where the history is only possible (`x` came from a call
    // the analysis does not see, taken as a model), code that runs made `x` a leaf: a fresh one here.
    // Likewise `x.requires_grad_(True)` when all the history `x` may have is guessed: it came from a helper the analysis does
    // not see and does not take for a model (`X, _ = initialize_q_batch_nonneg(Xraw, Yraw, n)`), which is only assumed to
    // pass on the graphs of its arguments, none of them a leaf. Code that marks it wants a leaf, and makes one when the
    // helper returned data (botorch's candidates, selected from `Xraw`).
    const guessedHistory = b.opaque && (kind === 'attribute' || (kind === 'method' && b.leaves.length === 0 && b.mayLeaf.length === 0 && before.site >= 0 && !b.hist.includes(before.site)));
    if (b.leafOf === null && (b.leaves.length > 0 || b.params.length > 0) && !guessedHistory) return before;
    // A tensor that becomes a leaf here (not this same leaf marked again) starts with an empty .grad: a
    // function that makes its input leaf afresh on each call does not add into the previous call's buffer.
    if (b.leafOf !== site.id) env.grads.set(site.id, CLEARED_GRAD);
    const t = tensorFacts({
      leafOf: site.id,
      dims: b.dims,
      dtype: b.dtype,
      device: b.device,
      norm: b.norm,
      dNoGraph: union(b.dNoGraph, b.dGraph),
      order: b.order,
      inference: b.inference,
      cuts: b.cuts,
      inf: b.inf,
      affine: true,
      // A leaf made of all-zero data (`jax.grad(f)(jnp.zeros(3))`) is still 0 in every entry.
      zeroData: b.zeroData,
    });
    return av({ kind: Kind.TENSOR, t, site: site.id });
  }

  // ------------------------------------------------------------------------------------ derivatives

  /** `torch.func.grad(f)`, `jax.grad(f)`, `vmap(f)`: a function value that differentiates when called. */
  transform(q: string, spec: DerivativeSpec | null, args: Args, node: PyNode): AV {
    return av({ kind: Kind.LIBINST, lib: [`transform:${q}`], elem: args.pos[0] ?? args.kw.get('func') ?? UNKNOWN, site: node.id, obj: node.id, lit: spec ? spec.order : 0 });
  }

  derivative(q: string, spec: DerivativeSpec, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    const createGraph = spec.createGraph ? this.flag(args, spec.createGraph, spec.params, false) : true;
    // retain_graph defaults to create_graph: unknown when create_graph is (a variable), and then nothing is taken as freed.
    const retainGraph = spec.retainGraph ? this.flag(args, spec.retainGraph, spec.params, createGraph) : null;
    const inputsArg = spec.inputs ? this.arg(args, spec.inputs, spec.params) : ({ kind: 'absent' } as ArgValue);
    const inputs = inputsArg.kind === 'found' ? inputsArg.value : UNKNOWN;
    const go = spec.gradOutputs ? this.arg(args, spec.gradOutputs, spec.params) : ({ kind: 'absent' } as ArgValue);
    const gradOutputs: AV | 'absent' | 'unknown' = go.kind === 'found' ? (go.value.lit === null ? 'absent' : go.value) : go.kind;
    let output: AV;
    let func: AV | null = null;
    if (spec.outputs) {
      const o = this.arg(args, spec.outputs, spec.params);
      output = o.kind === 'found' ? o.value : UNKNOWN;
    } else {
      const f = spec.func ? this.arg(args, spec.func, spec.params) : ({ kind: 'absent' } as ArgValue);
      func = f.kind === 'found' ? f.value : UNKNOWN;
      output = this.applyDifferentiated(func, inputs, node, env, frame, spec.framework === 'pytorch' && env.recording.mode !== 'inference');
    }
    // `tape.gradient(y, x)` with one tensor source returns one tensor (a list for a list of sources);
    // `torch.autograd.grad` always returns a tuple; functional APIs return a tensor for a tensor input.
    const oneSource = !(inputs.items && isKind(inputs, Kind.SEQ));
    const single = spec.framework === 'tensorflow' ? q.startsWith('tensorflow.GradientTape.') && oneSource : !spec.outputs && oneSource;
    this.constantDerivative(output, node, frame);
    const outT0 = tensorOfValue(output);
    const goConstant = gradOutputs === 'absent' || (typeof gradOutputs !== 'string' && !(gradOutputs.t && requiresGradish(gradOutputs.t)) && !isKind(gradOutputs, Kind.UNKNOWN));
    const constant = (spec.framework === 'pytorch' || q.startsWith('tensorflow.GradientTape.')) && !!spec.outputs && outT0.affine && outT0.params.length === 0 && !outT0.opaque && goConstant;
    const result = this.derivativeResult(spec, output, inputs, createGraph, env, node, single, constant);
    const outNode = spec.outputs ? this.argNode(args, spec.outputs, spec.params) : null;
    const perSample = (outNode !== null && this.isBatchSum(outNode)) || (typeof gradOutputs !== 'string' && go.kind === 'found' && go.node !== null && this.isOnes(go.node));
    this.I.recordDerivative({
      perSample,
      node,
      api: q,
      spec,
      output,
      func,
      inputs,
      gradOutputs,
      createGraph,
      retainGraph,
      recording: env.recording,
      result,
      tape: null,
      fn: frame.fn,
      loop: this.I.loopOf(frame),
    });
    // `grad(loss, model.parameters())`: the loss is trained into the parameters.
    if (spec.outputs && containsParameters(inputs)) this.sink('param-grad', output, node, '`torch.autograd.grad` with respect to the parameters', frame);
    if (spec.framework === 'pytorch' && spec.outputs) {
      this.noteGraphUse(output, node, env);
      if (retainGraph === false) this.freeGraph(output, node, env, frame, this.behindInputs(inputs, spec.inputs ? this.argNode(args, spec.inputs, spec.params) : null, env));
    }
    return result;
  }

  /**
   * A backward pass through `target`'s graph: it fails when part of that graph was already freed by an
   * earlier backward without `retain_graph`, or saved parameters that `optimizer.step()` changed since.
   */
  private noteGraphUse(target: AV, node: PyNode, env: Env): void {
    const t = tensorOfValue(target);
    if (t.freed.length > 0 || t.stale.length > 0) this.I.record('graphReuses', { node, freed: t.freed, stale: t.stale, recording: env.recording }, (o, e) => {
      const a = o as { freed: readonly number[]; stale: readonly number[] };
      const b = e as { freed: readonly number[]; stale: readonly number[] };
      a.freed = union(a.freed as number[], b.freed as number[]);
      a.stale = union(a.stale as number[], b.stale as number[]);
    });
  }

  /**
   * After a backward without `retain_graph`: every variable holding part of that graph now holds a freed one.
   * `behind` is the graph behind the inputs of `autograd.grad(outputs, inputs)`, where the backward stops:
   * it is neither run nor freed.
   */
  private freeGraph(target: AV, node: PyNode, env: Env, frame: Frame, behind: IdSet = NO_IDS): void {
    const hist = behind.length === 0 ? tensorOfValue(target).hist : tensorOfValue(target).hist.filter((h) => !behind.includes(h));
    if (hist.length === 0) return;
    this.markVariables(env, (e) => e.index.candidates(hist), (t) => t.hist.some((h) => hist.includes(h)), (t) => tensorFacts({ ...t, freed: union(t.freed, [node.id]) }), frame, node);
  }

  /**
   * The graph the inputs of `autograd.grad(outputs, inputs)` were computed through: the backward stops at
   * the inputs, so that graph is not run (and not freed). The inputs' own history, and that of the
   * variables they are read from: `clone` in `clone.parameters()` or `clone.context_params`, a model that
   * `l2l.clone_module` or an update step made from another one's parameters.
   */
  private behindInputs(inputs: AV, inputsNode: PyNode | null, env: Env): IdSet {
    let behind = tensorOfValue(inputs).hist;
    const roots = (n: PyNode): void => {
      const u = unparen(n);
      if (u.type === 'list' || u.type === 'tuple') {
        for (const c of namedChildren(u)) roots(c);
        return;
      }
      const base = baseIdentifier(u);
      const v = base ? env.vars.get(this.text(base)) : undefined;
      if (v) behind = union(behind, tensorOfValue(v).hist);
    };
    if (inputsNode) roots(inputsNode);
    return behind;
  }

  /** After `optimizer.step()`: values whose graph saved the stepped parameters are stale. */
  stepParameters(params: readonly number[] | null, node: PyNode, env: Env, frame?: Frame): void {
    this.markVariables(
      env,
      (e) => e.index.candidates(params),
      (t) => requiresGradish(t) && t.params.length > 0 && t.hist.length > 0 && (params === null || t.params.some((p) => params.includes(p))),
      (t) => tensorFacts({ ...t, stale: union(t.stale, [node.id]) }),
      frame,
      node,
    );
  }

  /**
   * Update the variables holding a tensor that `pred` selects. `candidates` names the variables of an
   * environment that may hold one (its SiteIndex, by the sites `pred` tests), so that the cost follows the
   * variables concerned, not all of them. Module-level variables that no code reads after `at` are left
   * as they are (see `unreadAfter`).
   */
  private markVariables(env: Env, candidates: (e: Env) => Set<string>, pred: (t: TensorFacts) => boolean, change: (t: TensorFacts) => TensorFacts, frame?: Frame, at?: PyNode): void {
    const mark = (v: AV): AV => {
      let out = v;
      if (v.t && pred(v.t)) out = av({ ...out, t: change(v.t) });
      if (v.items) {
        const items = v.items.map(mark);
        if (items.some((x, i) => x !== v.items![i])) out = av({ ...out, items });
      }
      if (v.elem) {
        const e = mark(v.elem);
        if (e !== v.elem) out = av({ ...out, elem: e });
      }
      return out;
    };
    // This function's variables, and those of the enclosing functions it can read (closures).
    const envs = [env];
    const frames = [frame];
    for (let o = frame?.outer ?? null; o; o = o.frame.outer) {
      envs.push(o.env);
      frames.push(o.frame);
    }
    envs.forEach((e, i) => {
      const f = frames[i];
      const moduleLevel = at !== undefined && f !== undefined && f.fn === null && f.cls === null && f.outer === null;
      const from = moduleLevel ? this.moduleCodeStart(at) : null;
      for (const k of candidates(e)) {
        if (from !== null && this.unreadAfter(k, from)) {
          // Module-level code runs forwards (a loop from its start): a name unread from here stays unread.
          e.index.retire(k);
          continue;
        }
        const v = e.vars.get(k);
        if (v === undefined) continue;
        const m = mark(v);
        if (m !== v) e.vars.set(k, m);
      }
    });
  }

  /**
   * Where the module-level code that runs again from `at` on starts: the outermost module-level loop
   * around `at` (its earlier statements run again), else `at` itself. Null inside a function, lambda or
   * class body.
   */
  private moduleCodeStart(at: PyNode): number | null {
    let start = at.start;
    for (let p: PyNode | null = at; p; p = p.parent) {
      if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return null;
      if (p.type === 'for_statement' || p.type === 'while_statement') start = p.start;
    }
    return start;
  }

  /**
   * Whether no code reads the module-level name `name` from offset `from` on: every read of it is at
   * module level (not in a function, lambda, class body or generator, which may run later) and ends before `from`.
   * Such a variable's value is never looked at again, so updating it (the freed, stale or saved facts of
   * a backward, an optimizer step, a comparison) changes nothing the rules see — and a notebook exported
   * as a script, a training loop per cell, would otherwise update every earlier cell's tensors at every
   * step: quadratic work and facts. Off when the file reads variables by name (`globals()`, `eval`, ...).
   */
  private unreadAfter(name: string, from: number): boolean {
    if (!this.moduleReads) {
      const m = this.I.model;
      const lastRead = new Map<string, number>();
      const dynamic = m.fileFact('dynamic-names');
      if (!dynamic) {
        for (const n of nodesOfType(m.tree, 'identifier')) {
          if (!m.isUse(n)) continue;
          let nested = false;
          for (let p = n.parent; p && !nested; p = p.parent) nested = p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition' || p.type === 'generator_expression';
          const name = m.textOf(n);
          lastRead.set(name, nested ? Infinity : Math.max(lastRead.get(name) ?? -1, n.end));
        }
      }
      this.moduleReads = { lastRead, dynamic };
    }
    if (this.moduleReads.dynamic) return false;
    return (this.moduleReads.lastRead.get(name) ?? -1) < from;
  }
  private moduleReads: { lastRead: Map<string, number>; dynamic: boolean } | null = null;

  /**
   * Call the differentiated function of a functional API on its inputs, the inputs made fresh leaves
   * (the API does this itself, and turns recording on unless in inference mode).
   */
  applyDifferentiated(func: AV, inputs: AV, node: PyNode, env: Env, frame: Frame, enableGrad: boolean, only: number | null = null): AV {
    const leafy = (x: AV): AV => {
      const t = x.t ?? tensorFacts({ opaque: isKind(x, Kind.UNKNOWN) });
      // An input of all-zero data (`jax.grad(f)(jnp.zeros(3))`) is differentiated at 0 in every entry.
      return av({ kind: Kind.TENSOR, t: tensorFacts({ dims: t.dims, dtype: t.dtype, leafOf: node.id, norm: t.norm, zeroData: t.zeroData }), site: node.id });
    };
    // `only`: the one argument differentiated against (a transform's `argnums`); the others are passed as they are.
    const ins = inputs.items && isKind(inputs, Kind.SEQ) ? inputs.items.map((x, i) => (only === null || i === only ? leafy(x) : x)) : [leafy(inputs)];
    const saved = env.recording;
    if (enableGrad && saved.mode === 'off') env.recording = { mode: 'on', site: null, why: '' };
    try {
      return this.invoke(func, positionalArgs(ins), node, env, frame);
    } finally {
      env.recording = saved;
    }
  }

  /**
   * The value a derivative call returns: one derivative per input (a tuple for `autograd.grad`). With a
   * graph it depends on what the output depended on; without, it is a constant — a term that cannot
   * train anything (recorded in `dNoGraph` when the output depended on parameters).
   */
  derivativeResult(spec: DerivativeSpec, output: AV, inputs: AV, createGraph: Tri, env: Env, node: PyNode, single: boolean, constant = false): AV {
    const outT = tensorOfValue(output);
    // A derivative with respect to parameters depends on them, whatever is known of the output.
    const ofParams = outT.params.length > 0 || outT.opaque || containsParameters(inputs);
    const off = recordingOff(env.recording);
    const hasGraph = createGraph !== false && !off;
    if (!hasGraph && ofParams && weightsLike(inputs, 0)) this.weightGradients.add(node.id);
    // The derivative of an output affine in its leaves is a constant: no graph, even with create_graph=True.
    if (constant && hasGraph) {
      this.constantSites.add(node.id);
      const c = (inp: AV): AV => av({ kind: Kind.TENSOR, t: tensorFacts({ dGraph: [node.id], order: outT.order + spec.order, dims: inp.t?.dims ?? null, dtype: 'float' }), site: node.id });
      if (!single && inputs.items && isKind(inputs, Kind.SEQ)) return seq(inputs.items.map(c), undefined, node.id);
      if (single) return c(inputs.items && inputs.items.length === 1 ? inputs.items[0] : inputs);
      const d = c(isKind(inputs, Kind.SEQ) ? this.I.elementOf(inputs) : inputs);
      return isKind(inputs, Kind.SEQ) ? seq(null, d, node.id) : seq([d], d, node.id);
    }
    const one = (inp: AV): AV => {
      const inT = inp.t ?? tensorFacts({});
      let dims: Dims = inT.dims;
      if (spec.shape === 'jacobian') dims = outT.dims && inT.dims ? [...outT.dims, ...inT.dims] : null;
      else if (spec.shape === 'hessian') dims = inT.dims ? [...inT.dims, ...inT.dims] : null;
      const t = tensorFacts({
        leaves: hasGraph ? union(outT.leaves, inT.leafOf !== null ? [inT.leafOf] : NO_IDS) : NO_IDS,
        params: hasGraph ? outT.params : NO_IDS,
        dGraph: hasGraph ? [node.id] : NO_IDS,
        dNoGraph: !hasGraph && ofParams ? [node.id] : NO_IDS,
        order: outT.order + spec.order,
        pwl: outT.pwl,
        curved: outT.curved,
        coupled: outT.coupled,
        risky: outT.risky,
        // The derivative's graph holds the backward of every operation on the way: one that cannot be
        // differentiated again stays with it.
        noDouble: hasGraph ? outT.noDouble : NO_IDS,
        dims,
        dtype: 'float',
        opaque: hasGraph && outT.opaque,
        recOff: off ? (env.recording.site?.id ?? -1) : null,
        // TensorFlow records a gradient computation only on the tapes active where it runs (nested tapes).
        tapes: spec.framework === 'tensorflow' ? env.tapes : outT.tapes,
        hist: hasGraph ? union(outT.hist.filter((h) => !this.savingSites.has(h)), [node.id]) : NO_IDS,
        freed: hasGraph ? outT.freed : NO_IDS,
        stale: hasGraph ? outT.stale : NO_IDS,
      });
      return av({ kind: Kind.TENSOR, t, site: node.id });
    };
    if (!single && inputs.items && isKind(inputs, Kind.SEQ)) return seq(inputs.items.map(one), undefined, node.id);
    if (single) return one(inputs.items && inputs.items.length === 1 ? inputs.items[0] : inputs);
    const elem = isKind(inputs, Kind.SEQ) ? this.I.elementOf(inputs) : inputs;
    const d = one(elem);
    return isKind(inputs, Kind.SEQ) ? seq(null, d, node.id) : seq([d], d, node.id);
  }

  /** `loss.backward()`, `torch.autograd.backward(loss)`. */
  backward(target: AV, args: Args, params: readonly string[], offset: number, node: PyNode, env: Env, frame: Frame, fn = false): AV {
    const createGraph = this.flag(args, 'create_graph', params, false, fn ? 0 : offset - 1);
    const retainGraph = this.flag(args, 'retain_graph', params, createGraph, fn ? 0 : offset - 1);
    const inputsArg = this.arg(args, 'inputs', params, fn ? 0 : offset - 1);
    const hasInputs = inputsArg.kind === 'found' && inputsArg.value.lit !== null;
    const off = recordingOff(env.recording);
    this.constantDerivative(target, node, frame);
    this.I.record('backwards', { node, target, createGraph, retainGraph, hasInputs, recording: env.recording, offTarget: off ? target : undefined, fn: frame.fn, loop: this.I.loopOf(frame) }, (o, e) => {
      o.target = join(o.target, e.target);
      // A site reached with recording on and (in another context) off: keep the off one for AGL009.
      if (o.recording.mode === 'on' && e.recording.mode !== 'on') o.recording = e.recording;
      if (e.offTarget) o.offTarget = o.offTarget ? join(o.offTarget, e.offTarget) : e.offTarget;
    });
    if (!hasInputs || containsParameters(inputsArg.kind === 'found' ? inputsArg.value : UNKNOWN)) this.sink('backward', target, node, '`.backward()`', frame);
    this.noteGraphUse(target, node, env);
    if (retainGraph === false) this.freeGraph(target, node, env, frame);
    // Every leaf the target depends on gets this backward's gradient added to its `.grad`.
    const t = tensorOfValue(target);
    const leaves = t.leafOf !== null ? union(t.leaves, [t.leafOf]) : t.leaves;
    for (const L of leaves) {
      const prev = env.grads.get(L);
      const accumulated = !!prev && prev.fills.length > 0;
      env.grads.set(L, { fills: accumulated ? union(prev!.fills, [node.id]) : [node.id], zeroed: false, accumulated: accumulated || (prev?.accumulated ?? false) });
    }
    this.backwardFacts.set(node.id, { target: t, createGraph });
    return NONE;
  }

  /** What each backward site knew of its target (for `.grad` reads). */
  readonly backwardFacts = new Map<number, { target: TensorFacts; createGraph: Tri }>();

  sink(kind: import('./events').SinkEvent['kind'], value: AV, node: PyNode, what: string, frame: Frame): void {
    this.I.record('sinks', { node, kind, value, what, fn: frame.fn }, (o, e) => {
      (o as { value: AV }).value = join((o as { value: AV }).value, (e as { value: AV }).value);
    });
  }

  // ------------------------------------------------------------------------------------ methods

  method(receiver: AV, name: string, args: Args, node: PyNode, recvNode: PyNode, env: Env, frame: Frame): AV {
    let out = BOTTOM;
    if ((name === 'mul' || name === 'multiply') && receiver.t) this.noteLogProduct(node, receiver, args.pos[0], recvNode, args.posNodes[0]);
    const rest = receiver.kind & ~(Kind.TENSOR | Kind.ARRAY | Kind.INST | Kind.LIBINST | Kind.SEQ | Kind.DICT | Kind.UNKNOWN | Kind.FUNC | Kind.CLASS);
    if (isKind(receiver, Kind.INST)) {
      for (const cls of receiver.classes) {
        const m = this.I.methodOf(cls, name);
        // A method the class leaves to its subclasses (absent, or abstract): the overrides of the file's subclasses
        // (`self.loss(x)` in a base trainer's `@torch.no_grad()` evaluation, `loss` defined by each concrete trainer).
        const subs = (!m || this.I.isAbstract(m)) && !this.I.attrOf(cls, name) ? this.I.overridesOf(cls, name) : [];
        if (subs.length > 0) {
          for (const o of subs) out = join(out, this.I.callFunction({ node: o.node, self: this.I.instanceOf(o.cls) }, args.pos, args.kw, env, frame, node));
        } else if (m) out = join(out, this.I.callFunction({ node: m, self: this.I.instanceOf(cls) }, args.pos, args.kw, env, frame, node));
        else {
          const attr = this.I.attrOf(cls, name);
          if (attr) out = join(out, this.invoke(attr, args, node, env, frame));
          else if (name === 'register_buffer' && this.I.isModuleClass(cls)) out = join(out, this.registerBuffer(cls, args, recvNode, env, frame));
          else if (this.I.isModuleClass(cls)) out = join(out, this.moduleMethod(receiver, name, args, node, recvNode, env, frame));
          // Neither defined nor assigned in the file, in a class with a base not in view (`self.model(x)` of an ASE
          // calculator whose base class sets `model` from keyword arguments): an unknown callable of the arguments, as a
          // module-level `model(x)` of an unbound name is. Without such a base it stays unknown.
          else if (this.I.libBasesOf(cls).some((q) => q !== 'object' && q !== 'builtins.object')) {
            // Its own graph only when it is given a tensor that requires grad (`self.model(pos)`); a helper given data
            // (`self.get_target_label(images, labels)` before an attack's loop) is not taken for a model's forward.
            const differentiable = [...args.pos, ...args.kw.values()].some((a) => !!a.t && (a.t.leaves.length > 0 || a.t.leafOf !== null));
            out = join(out, this.unknownCall(args, node, env, frame, UNKNOWN, differentiable));
          }
          else out = join(out, UNKNOWN);
        }
      }
      if (receiver.lib.includes('super')) {
        // `super().method(...)`: the bases' method.
        for (const b of receiver.classes) {
          const m = this.I.methodOf(b, name);
          if (m) out = join(out, this.I.callFunction({ node: m, self: frame.cls ? this.I.instanceOf(frame.cls) : null }, args.pos, args.kw, env, frame, node));
        }
      }
    }
    if (receiver.lib.includes('super') && !isKind(receiver, Kind.INST)) {
      for (const b of receiver.classes) {
        const m = this.I.methodOf(b, name);
        if (m) out = join(out, this.I.callFunction({ node: m, self: frame.cls ? this.I.instanceOf(frame.cls) : null }, args.pos, args.kw, env, frame, node));
      }
      if (out === BOTTOM) return NONE;
      return out;
    }
    // Tensors and arrays have no `pop`/`get`: on a maybe-tensor that is a container's method.
    // A maybe-tensor made by a call of unseen code whose method no tensor has (`step.to_image(x)` of an attack's step
    // object) is an object: its method computes from its arguments (below), not from it as from a tensor.
    const notATensor = isKind(receiver, Kind.UNKNOWN) && !!receiver.t?.opaque && !TENSOR_AND_ARRAY_METHODS.has(name);
    const asTensorDone = (isKind(receiver, Kind.TENSOR) || isKind(receiver, Kind.ARRAY)) && !CONTAINER_TAKE.has(name) && !notATensor;
    if (asTensorDone) out = join(out, this.tensorMethod(receiver, name, args, node, recvNode, env, frame));
    else if (receiver.t && isKind(receiver, Kind.NUMBER) && (name === 'backward' || name === 'requires_grad_')) {
      // A Python number made from a tensor (`math.sin(x)`): code that treats it as a tensor.
      out = join(out, this.tensorMethod(av({ ...receiver, kind: Kind.TENSOR }), name, args, node, recvNode, env, frame));
    }
    if (isKind(receiver, Kind.LIBINST)) out = join(out, this.libInstanceMethod(receiver, name, args, node, recvNode, env, frame));
    if (isKind(receiver, Kind.SEQ) || isKind(receiver, Kind.DICT)) out = join(out, this.containerMethod(receiver, name, args, node, recvNode, env, frame));
    const applied = name === 'apply' && isKind(receiver, Kind.CLASS) ? this.autogradFunctionApply(receiver, args, node, env, frame) : null;
    if (applied) out = join(out, applied);
    else if (isKind(receiver, Kind.FUNC) || isKind(receiver, Kind.CLASS)) out = join(out, UNKNOWN);
    // A maybe-tensor already ran the method as a tensor: running it again (a second backward into the same
    // .grad buffers) would be an effect the code does not have.
    if (isKind(receiver, Kind.UNKNOWN) && !(asTensorDone && name === 'backward')) out = join(out, this.unknownMethod(receiver, name, args, node, recvNode, env, frame));
    if (rest !== 0 || out === BOTTOM) out = join(out, isKind(receiver, Kind.STRING) ? STRING : UNKNOWN);
    return out;
  }

  /**
   * `self.register_buffer("name", tensor)` in a module class: `self.name` is that tensor from then on, as an
   * assignment would make it (a lookup table of integer indices stays an integer tensor with no graph, instead of
   * an unknown attribute that may carry the model's parameters). A name the code does not spell out binds nothing.
   */
  private registerBuffer(cls: import('./values').ClassRef, args: Args, recvNode: PyNode, env: Env, frame: Frame): AV {
    const name = args.pos[0]?.lit ?? args.kw.get('name')?.lit;
    const value = args.pos[1] ?? args.kw.get('tensor');
    if (typeof name !== 'string' || !value || args.kw.has('*') || args.kw.has('**')) return NONE;
    const old = cls.attrs.get(name);
    cls.attrs.set(name, old ? join(old, value) : value);
    const key = this.selfKey(recvNode, name, frame);
    if (key !== null) env.set(key, value);
    return NONE;
  }

  /** A method on something unknown: tensor methods are taken as such (a parameter `x` is usually a tensor). */
  private unknownMethod(receiver: AV, name: string, args: Args, node: PyNode, recvNode: PyNode, env: Env, frame: Frame): AV {
    // `w.new(1)`, `w.new_zeros(n)` (a parameter of an optimizer's step): a new tensor, which requires no grad.
    const constructs = name === 'new' || Object.hasOwn(NEW_TENSOR_FACTORY, name);
    if (name === 'backward' || name === 'requires_grad_' || name === 'retain_grad' || CUT_METHODS.has(name) || REDUCTIONS.has(name) || name === 'zero_' || INPLACE_METHOD.test(name) || constructs) {
      const asTensor = av({ kind: Kind.TENSOR | Kind.UNKNOWN, t: receiver.t ?? tensorFacts({ opaque: true }), site: receiver.site });
      return this.tensorMethod(asTensor, name, args, node, recvNode, env, frame);
    }
    if (name === 'parameters' || name === 'named_parameters') return this.moduleMethod(receiver, name, args, node, recvNode, env, frame);
    // A Hugging Face model's input embedding layer: an `nn.Embedding` with weights (its output is not a leaf).
    if (name === INPUT_EMBEDDINGS_METHOD && args.pos.length === 0) return av({ kind: Kind.LIBINST, lib: ['torch.nn.Embedding'], site: node.id, mod: { ...EMPTY_MODULE, params: [node.id] } });
    if (name === 'eval' || name === 'train') return receiver;
    if (name === 'step' && /optim|opt/i.test(this.text(recvNode))) {
      // `self.opt.step(closure)` of an optimizer made elsewhere: the step calls the closure (forward pass,
      // backward) before it changes the parameters, as a known optimizer's step does.
      const closure = args.pos[0];
      if (closure && isKind(closure, Kind.FUNC)) {
        const r = this.runClosure(closure, false, node, env, frame);
        this.sink('optimizer-closure', r, node, 'the optimizer step', frame);
      }
      this.unknownOptimizerStep(this.text(recvNode), node, env, frame);
      return NONE;
    }
    // `x.to(device)`, `x.view(-1)`, `x.sum()` on a parameter nobody calls visibly: a tensor method, not a model.
    if (TENSOR_METHOD_NAMES.has(name) || SAME_SHAPE_METHODS.has(name) || ZERO_GRAD_METHODS.has(name)) {
      const asTensor = av({ kind: Kind.TENSOR | Kind.UNKNOWN, t: receiver.t ?? tensorFacts({ opaque: true }), site: receiver.site });
      return this.tensorMethod(asTensor, name, args, node, recvNode, env, frame);
    }
    // A method of an unknown object called on tensors may compute with them (`self.model.forward(x)`).
    return this.unknownCall(args, node, env, frame, receiver);
  }

  private tensorMethod(receiver: AV, name: string, args: Args, node: PyNode, recvNode: PyNode, env: Env, frame: Frame): AV {
    const t = receiver.t ?? tensorFacts({});
    if (this.sampleRanks > 0 && isKind(receiver, Kind.TENSOR)) this.sampleDim(DIM_ARGUMENT[`.${name}`], receiver, args, node, frame);
    const isArray = isKind(receiver, Kind.ARRAY) && !isKind(receiver, Kind.TENSOR);
    if (!isArray && (VALUES_AND_INDICES.has(name) || (REDUCTIONS_WITH_INDICES.has(name) && (args.kw.has('dim') || (args.pos.length >= 1 && isKind(args.pos[0], Kind.NUMBER)))))) {
      return this.valuesAndIndices(receiver, node, env);
    }
    switch (name) {
      case 'backward':
        return this.backward(receiver, args, BACKWARD_PARAMS, 0, node, env, frame);
      case 'new_ones':
      case 'new_zeros':
      case 'new_empty':
      case 'new_full':
      case 'new_tensor':
      case 'new': {
        // A new tensor of the size (or data) given, with the receiver's dtype and device: nothing of its values or shape.
        // The legacy `x.new(2, 3)` / `x.new(data)` is `torch.empty` of the sizes, or `torch.tensor` of the data.
        const factory = name !== 'new' ? NEW_TENSOR_FACTORY[name] : args.pos.length > 0 && args.pos.every((v) => isKind(v, Kind.NUMBER)) ? 'torch.empty' : 'torch.tensor';
        const made = this.torchFunction(factory, args, node, env, frame);
        return made.t && !args.kw.has('dtype') && t.dtype ? av({ ...made, t: tensorFacts({ ...made.t, dtype: t.dtype }) }) : made;
      }
      case 'requires_grad_': {
        const f = this.flag(args, 'requires_grad', ['requires_grad'], true);
        if (t.variable && t.params.length > 0) {
          if (f === false) this.freeze(env, t.params, node.id);
          else this.unfreeze(env, t.params);
        }
        if (f === false) {
          const v = av({ kind: Kind.TENSOR, t: tensorFacts({ ...t, leafOf: null, mayLeaf: NO_IDS }), site: receiver.site });
          this.updateReceiver(recvNode, v, env, frame);
          return v;
        }
        const v = this.markLeaf(receiver, node, 'method', recvNode, env, frame);
        this.updateReceiver(recvNode, v, env, frame);
        return v;
      }
      case 'retain_grad':
        this.needsGraph('retain_grad', receiver, node, env, frame);
        return NONE;
      case 'register_hook':
        if (isArray) break;
        this.needsGraph('register_hook', receiver, node, env, frame);
        return UNKNOWN;
      case 'where': {
        // `x.where(cond, y)` is `torch.where(cond, x, y)`: both branches are differentiated, as there.
        if (isArray || args.pos.length < 2) break;
        const branches = [receiver, args.pos[1]];
        const masked = this.whereMasked(args.posNodes[0] ?? null, branches, node, frame, { branchNodes: [recvNode, args.posNodes[1]] });
        const cond = args.pos[0]?.t;
        const base = combineTensors(branches.map((b) => b.t));
        const condCuts = cond ? cutTensor(cond, node.id).cuts : [];
        return this.op(branches, node, env, t.dims ?? null, { risky: NO_IDS, masked: union(base.masked, masked), cuts: [...base.cuts, ...condCuts] });
      }
      case 'assign':
      case 'assign_add':
      case 'assign_sub': {
        // A TensorFlow Variable's state lives outside the graph: tapes do not record an assignment back to the
        // tensor assigned (tensorflow issue 30234), so later reads depend on it only through a cut.
        if (!t.variable || !args.pos[0]?.t) break;
        const assigned = cutTensor(args.pos[0].t, node.id);
        const kept = name === 'assign' ? tensorFacts({ ...cutTensor(t, node.id), params: t.params, variable: true, dims: t.dims, dtype: t.dtype }) : t;
        const v = av({ ...receiver, t: tensorFacts({ ...combineTensors([kept, assigned]), params: t.params, variable: true }) });
        this.updateReceiver(recvNode, v, env, frame);
        return v;
      }
      case 'zero_':
        if (t.gradOf !== null) env.grads.set(t.gradOf, CLEARED_GRAD);
        return receiver;
      case 'size':
      case 'dim':
      case 'numel':
        return NUMBER;
      case 'item':
      case 'tolist':
        return av({ kind: name === 'item' ? Kind.NUMBER : Kind.SEQ, t: cutTensor(t, node.id, false), elem: NUMBER });
      case 'numpy':
        this.conversion(node, receiver, '`.numpy()`');
        return av({ kind: Kind.ARRAY, t: { ...cutTensor(t, node.id), gradOf: t.gradOf, dtype: t.dtype, norm: t.norm }, site: node.id });
      case 'detach':
      case 'detach_': {
        const v = av({ kind: isArray ? Kind.ARRAY : Kind.TENSOR, t: tensorFacts({ ...cutTensor(t, node.id), gradOf: t.gradOf }), site: node.id });
        if (name === 'detach_') this.updateReceiver(recvNode, v, env, frame);
        return v;
      }
      case 'clone':
      case 'copy':
        return av({ kind: receiver.kind & (Kind.TENSOR | Kind.ARRAY | Kind.UNKNOWN), t: tensorFacts({ ...(isArray ? t : combineTensors([t])), dims: t.dims, dtype: t.dtype, norm: t.norm, gradOf: null }), site: node.id });
      case 'to':
      case 'cuda':
      case 'cpu':
      case 'float':
      case 'double':
      case 'half':
      case 'type':
      case 'type_as':
      case 'contiguous': {
        // A new tensor (a non-leaf when the receiver required grad), same values.
        const c = combineTensors([t]);
        let dtype = t.dtype;
        if (name === 'float' || name === 'double' || name === 'half') dtype = 'float';
        const argText = args.posNodes.map((n) => this.text(n)).join(',') + [...args.kwNodes.values()].map((n) => this.text(n)).join(',');
        // `.to(torch.long)`, `.type(torch.LongTensor)`: an integer tensor, as `.long()` (no gradient flows through the cast).
        const cast = namedDtype(argText);
        if ((name === 'to' || name === 'type') && !isArray && (cast === 'int' || cast === 'bool')) {
          return av({ kind: Kind.TENSOR, t: tensorFacts({ ...cutTensor(t, node.id), dtype: cast }), site: node.id });
        }
        if (cast === 'float') dtype = 'float';
        // A move to a device (`.cuda()`, `.cpu()`, `.to(device)` with one argument that is no dtype): a tensor a move
        // already put there comes back as itself (a leaf stays that leaf: `x = x.cuda(); x.requires_grad = True` in a
        // loop marks the same leaf each round). Moving a tensor whose device is not known is taken as a copy.
        const device = isArray ? null : deviceOfMove(name, args.posNodes.map((n) => this.text(n)), args.kwNodes.size);
        if (device !== null && t.device === device) return receiver;
        // A leaf it may be that was marked on this device (the join of a loop's first round with the leaf the round
        // before marked) may come back as itself: it stays a leaf it may be, not one it depends on.
        const here = device === null ? NO_IDS : [...t.mayLeaf, ...(t.leafOf !== null ? [t.leafOf] : [])].filter((l) => this.leafDevice(l) === device && !t.leaves.includes(l));
        const moved = here.length === 0 ? {} : { leaves: c.leaves.filter((l) => !here.includes(l)), mayLeaf: [...here].sort((a, b) => a - b) };
        const v = av({ kind: receiver.kind & (Kind.TENSOR | Kind.ARRAY | Kind.UNKNOWN), t: tensorFacts({ ...c, ...moved, dims: t.dims, dtype, norm: t.norm, gradOf: t.gradOf, variable: t.variable, device: device ?? (name === 'to' ? null : t.device) }), site: node.id });
        // `.to(device)` of a leaf on a device not known here may return the leaf itself (documented known problem of AGL014).
        return v;
      }
      case 'sum':
      case 'mean':
      case 'prod':
      case 'norm':
      case 'std':
      case 'var':
      case 'logsumexp':
      case 'max':
      case 'min':
      case 'amax':
      case 'amin': {
        const hasDim = args.kw.has('dim') || args.kw.has('axis') || args.pos.length > (name === 'norm' ? 1 : 0);
        let dims: Dims = hasDim ? null : [];
        if (hasDim && t.dims) {
          const d = (args.kw.get('dim') ?? args.kw.get('axis') ?? args.pos[name === 'norm' ? 1 : 0])?.lit;
          const keep = args.kw.get('keepdim')?.lit === true || args.kw.get('keepdims')?.lit === true;
          if (typeof d === 'number') {
            const k = d < 0 ? t.dims.length + d : d;
            dims = keep ? t.dims.map((x, i) => (i === k ? 1 : x)) : t.dims.filter((_, i) => i !== k);
          }
        }
        if (name === 'norm') {
          this.noteNorm(receiver, (args.kw.get('dim') ?? args.pos[1])?.lit, node, frame);
          this.saveInputs([recvNode], [receiver], node, env, frame);
        }
        const risky = name === 'norm' || name === 'std' ? { risky: union(t.risky, this.riskySite(receiver, node)) } : {};
        // A selection of a NumPy array (`X.min(0)`, the data's bounds in a PINN's input scaling) is a constant: no autograd passes through it.
        const select = !isArray && (name === 'max' || name === 'min' || name === 'amax' || name === 'amin') ? { pwl: union(t.pwl, [node.id]) } : {};
        const curved = !isArray && CURVED_REDUCTIONS.has(name) && dependsOnInput(t) ? { curved: union(t.curved, [node.id]) } : {};
        return this.op([receiver], node, env, dims, { ...risky, ...select, ...curved, norm: null });
      }
      case 'unsqueeze': {
        const d = args.pos[0]?.lit;
        if (t.dims && typeof d === 'number') {
          const k = d < 0 ? t.dims.length + d + 1 : d;
          const dims = [...t.dims];
          dims.splice(k, 0, 1);
          return this.viewed(this.reshaped(receiver, dims, node), receiver);
        }
        return this.viewed(this.reshaped(receiver, null, node), receiver);
      }
      case 'squeeze': {
        // `x.squeeze(1)`: that axis removed when it is visibly of size 1, kept when visibly larger.
        const d = (args.pos[0] ?? args.kw.get('dim'))?.lit;
        if (t.dims && typeof d === 'number' && Number.isInteger(d)) {
          const k = d < 0 ? t.dims.length + d : d;
          if (k >= 0 && k < t.dims.length && t.dims[k] !== null) return this.reshaped(receiver, t.dims[k] === 1 ? t.dims.filter((_, i) => i !== k) : t.dims, node);
        }
        return this.reshaped(receiver, t.dims && args.pos.length === 0 && args.kw.size === 0 ? t.dims.filter((x) => x !== 1) : null, node);
      }
      case 'view':
      case 'reshape': {
        const dims = literalDims(args.pos) ?? shapeArg(args.pos[0]);
        const r = this.reshaped(receiver, inferredSize(t.dims, dims), node);
        // `x.view(n, 1, -1)`: a new axis of size 1, a broadcast view.
        return args.posNodes.some((a) => this.numberLiteral(a) === 1) && args.pos.length >= 2 ? this.viewed(r, receiver) : r;
      }
      case 'expand': {
        // `a.expand(3, 3)` of a (3, 1) tensor is (3, 3); -1 keeps the size of the receiver's axis it lines up with.
        const sizes = literalDims(args.pos) ?? shapeArg(args.pos[0]);
        // Sizes not visible (`expand(real_data.size())`): usually the same rank, sizes unknown.
        if (!sizes) return this.reshaped(receiver, t.dims ? t.dims.map(() => null) : null, node);
        const own = t.dims;
        const off = own ? sizes.length - own.length : 0;
        return this.reshaped(receiver, sizes.map((x, i) => (x === -1 ? (own && i - off >= 0 ? own[i - off] : null) : x)), node);
      }
      case 'repeat': {
        const reps = literalDims(args.pos) ?? shapeArg(args.pos[0]);
        const own = t.dims;
        if (!reps || !own || reps.some((r) => r === null) || reps.length < own.length) return this.reshaped(receiver, null, node);
        const padded = [...reps.slice(0, reps.length - own.length).map(() => 1 as number | null), ...own];
        return this.reshaped(receiver, reps.map((r, i) => (padded[i] === null ? null : (padded[i] as number) * (r as number))), node);
      }
      case 'flatten':
        return this.reshaped(receiver, flattenedDims(t.dims, args.kw.get('start_dim') ?? args.pos[0], args.kw.get('end_dim') ?? args.pos[1]), node);
      case 't':
        return this.reshaped(receiver, t.dims && t.dims.length === 2 ? [t.dims[1], t.dims[0]] : t.dims, node);
      case 'transpose':
      case 'permute':
        return this.reshaped(receiver, t.dims ? t.dims.map(() => null) : null, node);
      case 'split':
      case 'chunk':
      case 'unbind':
        return seq(null, this.reshaped(receiver, null, node), node.id);
      case 'parameters':
        return UNKNOWN;
      case 'astype': {
        // `x.astype(jnp.int32)`, `.astype(int)`, `.astype('int64')`, `.astype(bool)`: integer values, piecewise constant in
        // `x`, so no derivative flows back through the cast (JAX gives it a zero derivative, as `int(x)`); what depends on
        // `x` only through it is cut here. A float dtype keeps the dependence.
        const dt = args.posNodes[0] ?? args.kwNodes.get('dtype');
        const integer = !!dt && INTEGER_DTYPE_TEXT.test(this.text(dt));
        if (integer && !isArray) return av({ kind: receiver.kind, t: tensorFacts({ ...cutTensor(t, node.id), dtype: 'int' }), site: node.id });
        return av({ kind: receiver.kind, t: tensorFacts({ ...t, dtype: dt && /int|bool/.test(this.text(dt)) ? 'int' : 'float' }), site: node.id });
      }
      default:
        break;
    }
    if (META_METHODS.has(name)) return NUMBER;
    if (ZERO_GRAD_METHODS.has(name)) {
      const intValued = /^(long|int|bool|byte|short|argmax|argmin|argsort|eq|ne|gt|lt|ge|le|isnan|isinf|isfinite|nonzero)$/.test(name);
      if (intValued) return av({ kind: Kind.TENSOR, t: tensorFacts({ ...cutTensor(t, node.id), dtype: name === 'bool' ? 'bool' : 'int' }), site: node.id });
      // sign/round/floor/ceil/trunc: a zero derivative wherever defined, as `torch.round(x)` (TORCH_PIECEWISE_CONSTANT):
      // what depends on the receiver only through it is cut; same shape and dtype. The in-place forms stay operations.
      if (!name.endsWith('_')) return av({ kind: Kind.TENSOR, t: cutTensor(t, node.id), site: node.id });
      return this.op([receiver], node, env, t.dims);
    }
    if ((name === 'masked_fill' || name === 'masked_fill_') && !isArray && args.posNodes[0]) {
      // `y.masked_fill(mask, v)` is `where(mask, v, y)`: the entries it replaces still send their gradient to `y`.
      const masked = this.whereMasked(args.posNodes[0], [receiver], node, frame, { branchNodes: [recvNode, args.posNodes[1]] });
      if (masked.length > 0) {
        if (name === 'masked_fill_') this.inplaceOn(recvNode, receiver, name, node, env, frame);
        const v = this.op([receiver, ...args.pos.slice(1)], node, env, t.dims, { risky: NO_IDS, masked: union(t.masked, masked), norm: t.norm });
        if (name === 'masked_fill_') this.updateReceiver(recvNode, v, env, frame);
        return v;
      }
    }
    if (INPLACE_METHOD.test(name) && !INPLACE_NOT_ARITHMETIC.has(name)) {
      this.inplaceOn(recvNode, receiver, name, node, env, frame);
      const v = this.op([receiver, ...args.pos], node, env, t.dims, { leafOf: t.leafOf, mayLeaf: t.mayLeaf, gradOf: t.gradOf, variable: t.variable, norm: t.norm });
      this.updateReceiver(recvNode, v, env, frame);
      return v;
    }
    if (isArray) return av({ kind: Kind.ARRAY, t: tensorFacts({ ...this.cutOf([receiver, ...args.pos], node)!, norm: t.norm }), site: node.id });
    if (name === 'nan_to_num') {
      const masked = this.nonFiniteCleaned(receiver, node, frame);
      if (masked.length > 0) return this.op([receiver, ...args.pos, ...args.kw.values()], node, env, t.dims, { risky: NO_IDS, masked: union(t.masked, masked), norm: t.norm });
    }
    // `x.sqrt().clamp(min=eps)`, `x.sqrt().clamp_min(eps)`, `x.sqrt().maximum(eps_tensor)`: a floor after the root.
    if (/^(?:clamp|clip|clamp_min|maximum|fmax)$/.test(name)) {
      const key = /^(?:clamp|clip)$/.test(name) && args.kw.has('min') ? 'min' : null;
      const fv = key ? args.kw.get(key) : args.pos[0];
      const fnode = key ? args.kwNodes.get(key) : args.posNodes[0];
      const floored = (fv && fv.lit !== null) || (fnode && this.positiveConstant(fnode, 0, 1e-2)) ? this.rootGuarded(receiver, fv, fnode, node, frame) : [];
      if (floored.length > 0) return this.op([receiver, ...args.pos, ...args.kw.values()], node, env, t.dims, { risky: NO_IDS, masked: union(t.masked, floored), pwl: union(t.pwl, [node.id]), norm: t.norm });
    }
    const infRisky = this.infRisky(name, receiver, node, args.pos[0] ?? args.kw.get('exponent'));
    const risky = this.riskyFacts(t.risky, RISKY_METHODS.has(name) || name === 'exp' ? this.riskySite(receiver, node) : null, infRisky);
    const pwl = name === 'relu' || name === 'clamp' || name === 'abs' || name === 'clip' ? { pwl: union(t.pwl, [node.id]) } : {};
    const curved = SMOOTH_FUNCTIONS.has(name) && dependsOnInput(t) ? { curved: union(t.curved, [node.id]) } : {};
    // `x.expand_as(y)`, `x.view_as(y)`, `x.type_as(y)`: `y` gives a shape or a dtype only, none of its values.
    const shapeOnly = /^(?:expand_as|view_as|reshape_as|type_as)$/.test(name);
    // `x.expand_as(y)`, `x.view_as(y)`, `x.reshape_as(y)` take `y`'s shape (unknown when `y`'s is).
    const dims = shapeOnly && name !== 'type_as' ? (args.pos[0]?.t?.dims ?? null) : t.dims;
    const r = this.op(shapeOnly ? [receiver] : [receiver, ...args.pos, ...args.kw.values()], node, env, dims, { ...risky, ...pwl, ...curved, norm: t.norm });
    if (SAVES_INPUT.has(name)) this.saveInputs([recvNode, ...args.posNodes], [receiver, ...args.pos], node, env, frame);
    if (VIEW_OPS.has(name)) return keepSavesOfView(r, receiver);
    return SAVES_OUTPUT.has(name) ? this.saveOutput(r, node) : r;
  }

  /**
   * `torch.topk(x, k)`, `x.sort()`, `x.max(dim=1)`: a pair of the values (computed from `x`, with its graph) and the
   * indices, integer positions with no graph (a neighbour list built from distances carries no NaN of their norm).
   */
  private valuesAndIndices(x: AV, node: PyNode, env: Env): AV {
    const t = x.t ?? tensorFacts({});
    const values = this.op([x], node, env, null, { norm: t.norm });
    const indices = av({ kind: Kind.TENSOR, t: tensorFacts({ cuts: cutTensor(t, node.id).cuts, dtype: 'int' }), site: node.id });
    return seq([values, indices], join(values, indices), node.id);
  }

  /** The device a move had put the tensor on that leaf `site` was made from (`deviceOfMove`), over every context so far. */
  private leafDevice(site: number): string | null {
    const n = this.m.tree.nodes[site];
    return (n && this.I.recorded('leaves', n)?.beforeAny.t?.device) ?? null;
  }

  private reshaped(receiver: AV, dims: Dims, node: PyNode): AV {
    const t = receiver.t ?? tensorFacts({});
    const c = combineTensors([t]);
    return av({ kind: receiver.kind & (Kind.TENSOR | Kind.ARRAY | Kind.UNKNOWN), t: tensorFacts({ ...c, dims, dtype: t.dtype, norm: t.norm, gradOf: t.gradOf }), site: node.id });
  }

  /** Methods of a model instance (a local module class, or a library module). */
  private moduleMethod(receiver: AV, name: string, args: Args, node: PyNode, recvNode: PyNode, env: Env, frame: Frame): AV {
    const mod = this.moduleFactsOf(receiver);
    switch (name) {
      case 'append':
      case 'extend':
      case 'insert':
      case 'add_module':
      case 'register_module': {
        // `nn.ModuleList().append(layer)` (it returns the list), `nn.Sequential().add_module('act', nn.ReLU())`: the
        // layers join its elements and facts. A container made empty and filled this way is not the identity.
        const container = receiver.lib.some((q) => MODULE_CONTAINERS.has(q));
        if (!container) return name === 'add_module' || name === 'register_module' ? UNKNOWN : this.unknownCall(args, node, env, frame, receiver);
        const added = name === 'insert' || name === 'add_module' || name === 'register_module' ? (args.pos[1] ?? args.kw.get('module')) : args.pos[0];
        if (!added) {
          // A layer the analysis cannot see (`**kwargs`): nothing is known of the container any more.
          const v = av({ ...receiver, items: null, elem: UNKNOWN, mod: joinModule(mod, { ...EMPTY_MODULE, params: [node.id] })! });
          this.updateReceiver(recvNode, v, env, frame);
          return v;
        }
        const children = name === 'extend' ? asList(added) : [added];
        let m2: ModuleFacts = mod;
        for (const c of children) {
          if (c.mod) m2 = joinModule(m2, c.mod)!;
          else m2 = joinModule(m2, unseenLayer(c, node.id))!;
        }
        const elem = children.reduce<AV>((a, b) => join(a, b), receiver.elem && receiver.elem !== UNKNOWN ? receiver.elem : BOTTOM) || UNKNOWN;
        // Layers added at the end of a `Sequential` whose layers are known keep their order (its call runs them in turn).
        const atEnd = name === 'append' || name === 'add_module' || name === 'register_module';
        const items = atEnd && receiver.items && receiver.lib.includes('torch.nn.Sequential') ? [...receiver.items, added] : null;
        const v = av({ ...receiver, items, elem, mod: m2 });
        this.updateReceiver(recvNode, v, env, frame);
        return v;
      }
      case 'parameters':
      case 'named_parameters':
      case 'trainable_variables': {
        const p = av({ kind: Kind.TENSOR, t: tensorFacts({ params: mod.params.length > 0 ? mod.params : [receiver.site >= 0 ? receiver.site : node.id], variable: true, dtype: 'float' }), site: node.id });
        return seq(null, name === 'named_parameters' ? seq([STRING, p]) : p, node.id);
      }
      case 'eval':
      case 'train':
      case 'requires_grad_': {
        if (name === 'eval' || (name === 'train' && args.pos[0]?.lit === false)) {
          const v = av({ ...receiver, mod: { ...mod, eval: true } });
          this.updateReceiver(recvNode, v, env, frame);
          return v;
        }
        if (name === 'train') {
          const v = av({ ...receiver, mod: { ...mod, eval: false } });
          this.updateReceiver(recvNode, v, env, frame);
          return v;
        }
        if (name === 'requires_grad_') {
          const own = this.moduleFactsOf(receiver).params;
          if (args.pos[0]?.lit === false || args.kw.get('requires_grad')?.lit === false) this.freeze(env, own, node.id);
          else this.unfreeze(env, own);
        }
        if (name === 'requires_grad_' && (args.pos[0]?.lit === false || args.kw.get('requires_grad')?.lit === false)) {
          const v = av({ ...receiver, mod: { ...mod, frozen: node.id } });
          this.updateReceiver(recvNode, v, env, frame);
          return v;
        }
        return receiver;
      }
      case 'zero_grad':
        return NONE;
      // `wrapped.module(x)` of a model wrapped in `nn.DataParallel` (the analysis gives the wrapper the model itself).
      case 'module':
      case 'forward':
      case '__call__':
        return this.invoke(receiver, args, node, env, frame);
      case 'state_dict':
      case 'load_state_dict':
      case 'register_buffer':
      case 'modules':
      case 'children':
        return UNKNOWN;
      default:
        // `to`, `cuda`, `half`, `apply(init)`, ...: the module itself (MODULE_SELF_METHODS, shared with the semantic model).
        if (MODULE_SELF_METHODS.has(name)) return receiver;
        return this.unknownCall(args, node, env, frame, receiver);
    }
  }

  /**
   * A library call that runs the callable it is given with grad mode off (`RUNS_WITHOUT_RECORDING`: a reentrant
   * `checkpoint(fn, *args)`, `odeint_adjoint(func, y0, t)`, `odeint_event(func, y0, t0, event_fn=...)`): the callable is analysed once more in that mode, on the
   * arguments the library passes it. Its effects stay inside (the library's own result is computed as before).
   */
  private runWithoutRecording(spec: RunsWithoutRecording, args: Args, node: PyNode, env: Env, frame: Frame): void {
    if (spec.unless && args.kw.get(spec.unless.keyword)?.lit === spec.unless.value) return;
    if (args.kw.has('*') || args.kw.has('**')) return;
    const fn = typeof spec.callable === 'string' ? args.kw.get(spec.callable) : args.pos[spec.callable];
    if (!fn || !(isKind(fn, Kind.FUNC) || isKind(fn, Kind.INST) || isKind(fn, Kind.CLASS))) return;
    const inner = env.copy();
    const prev = env.recording;
    inner.recording = prev.mode === 'inference' ? prev : { mode: 'off', site: node, why: spec.why };
    const made = (v: AV | undefined): AV => {
      const t = this.underRecording(v?.t ?? tensorFacts({ opaque: true }), inner);
      return av({ kind: Kind.TENSOR, t: tensorFacts({ ...t, leafOf: null, mayLeaf: NO_IDS }), site: node.id });
    };
    const arg = (r: ArgRef): AV | undefined => args.pos[r.pos] ?? args.kw.get(r.kw);
    let callArgs: AV[];
    if (spec.args !== 'rest') callArgs = [made(arg(spec.args.ode.t)), made(arg(spec.args.ode.y))];
    else if (typeof spec.callable === 'number') callArgs = args.pos.slice(spec.callable + 1);
    else return; // a keyword callable given "the rest": no such library is known
    this.invoke(fn, positionalArgs(callArgs), node, inner, frame);
  }

  /**
   * `torch.utils.checkpoint.checkpoint(fn, *args)`: what `fn(*args)` gives (the recomputation in backward runs it with
   * recording on: its parameters, nonlinearities and operations are those of the result). The reentrant variant (the
   * default; `use_reentrant=True`) is an autograd Function whose backward re-runs `fn` and calls
   * `torch.autograd.backward` inside: `torch.autograd.grad` through it raises "Checkpointing is not compatible with
   * .grad()", and a gradient taken with `create_graph=True` has no graph through it (run with PyTorch 1.13); its result
   * is marked like an operation without a double backward (`noDouble`, at the call). Null when `fn` or the arguments
   * are not visible (`*args`), or `use_reentrant` is not a literal.
   */
  private checkpointed(args: Args, node: PyNode, env: Env, frame: Frame): AV | null {
    if (args.kw.has('*') || args.kw.has('**')) return null;
    const fn = args.pos[0];
    if (!fn || !(isKind(fn, Kind.FUNC) || isKind(fn, Kind.INST) || isKind(fn, Kind.LIBINST))) return null;
    const flag = args.kw.get('use_reentrant');
    if (flag && typeof flag.lit !== 'boolean') return null;
    const r = this.invoke(fn, positionalArgs(args.pos.slice(1)), node, env, frame);
    if (flag?.lit === false || !r.t) return r;
    // The reentrant Function's output requires grad only through its tensor inputs (pytorch issue 7617): given only
    // tensors known not to require grad, it has no graph, not even to the function's parameters.
    const inputs = args.pos.slice(1);
    if (inputs.length > 0 && inputs.every((a) => a.kind === Kind.TENSOR && a.t && !requiresGradish(a.t))) {
      return av({ kind: Kind.TENSOR, t: tensorFacts({ dims: r.t.dims, dtype: r.t.dtype }), site: node.id });
    }
    if (!requiresGradish(r.t) && !(frame.cls && this.I.isModuleClass(frame.cls))) return r;
    return withNoDouble(r, node.id);
  }

  /** The model facts of a value that can be called like a model (library module or local module class). */
  /**
   * The calls of a model the analysis cannot see whose parameters an optimizer holds: `Adam(self.qf1.parameters())` made
   * in view updates the weights behind every `self.qf1(...)` call (the calls of an unseen model carry their call site as
   * parameters, its `.parameters()` the model's own site). Matched by the text of the model expression.
   */
  private callsOfOptimizedModel(opt: AV): readonly number[] {
    const made = opt.obj !== null && opt.obj !== undefined ? this.m.tree.nodes[opt.obj] : undefined;
    const argList = made?.type === 'call' ? field(made, 'arguments') : null;
    const first = argList?.children.find((c) => c.type !== 'keyword_argument' && c.type !== 'comment' && c.type !== '(' && c.type !== ')' && c.type !== ',') ?? null;
    if (!first) return NO_IDS;
    const models: string[] = [];
    const collect = (n: PyNode): void => {
      const u = unparen(n);
      if (u.type === 'binary_operator') {
        for (const c of namedChildren(u)) collect(c);
        return;
      }
      if (u.type !== 'call') return;
      const fn = field(u, 'function');
      if (!fn) return;
      if (fn.type === 'identifier' && this.text(fn) === 'list') {
        const inner = field(u, 'arguments')?.children.find((c) => c.type !== '(' && c.type !== ')' && c.type !== ',' && c.type !== 'comment');
        if (inner) collect(inner);
        return;
      }
      if (fn.type === 'attribute' && this.text(field(fn, 'attribute') ?? fn) === 'parameters') {
        const obj = field(fn, 'object');
        if (obj) models.push(this.text(obj));
      }
    };
    collect(first);
    if (models.length === 0) return NO_IDS;
    return [...this.calleeTexts].filter(([, text]) => models.includes(text)).map(([id]) => id);
  }

  /** Whether `v` is a written list or tuple of single values, none of them parameters, sequences or dicts. */
  private writtenNonParameterList(v: AV | null | undefined): boolean {
    if (!v || !v.items || v.items.length === 0 || !isKind(v, Kind.SEQ)) return false;
    return v.items.every((x) => !x.items && !x.elem && !isKind(x, Kind.DICT) && !isKind(x, Kind.SEQ) && (x.t === null || x.t === undefined || x.t.params.length === 0));
  }

  /**
   * Whether a `Sequential` made in view holds a layer with trainable weights of its own: its output requires grad
   * whatever its input, and the call records a graph. Not for layers frozen in view.
   */
  private ownTrainable(callee: AV, env: Env, node: PyNode, frame: Frame): boolean {
    if (!callee.items) return false;
    return callee.items.some((c) => {
      if (!isKind(c, Kind.LIBINST) || !c.mod || c.mod.frozen !== null || c.mod.params.length === 0) return false;
      return this.trainable(c.mod.params, env, node, frame).length > 0;
    });
  }

  moduleFactsOf(v: AV): ModuleFacts {
    let mod = v.mod ?? EMPTY_MODULE;
    if (isKind(v, Kind.INST)) {
      for (const cls of v.classes) {
        const seen = new Set<import('./values').ClassRef>();
        const go = (c: import('./values').ClassRef): void => {
          if (seen.has(c)) return;
          seen.add(c);
          for (const a of c.attrs.values()) {
            if (a.mod) mod = joinModule(mod, a.mod)!;
            // `self.w = nn.Parameter(...)`: a parameter tensor of the module.
            else if (a.t && a.t.variable && a.t.params.length > 0 && isKind(a, Kind.TENSOR)) mod = joinModule(mod, { ...EMPTY_MODULE, params: a.t.params })!;
            if (isKind(a, Kind.INST)) for (const k of a.classes) go(k);
          }
          for (const b of c.bases) go(b);
        };
        go(cls);
        if (mod.params.length === 0) mod = { ...mod, params: [cls.node.id] };
      }
    }
    return mod;
  }

  private libInstanceMethod(receiver: AV, name: string, args: Args, node: PyNode, recvNode: PyNode, env: Env, frame: Frame): AV {
    let out = BOTTOM;
    for (const q of receiver.lib) {
      if (q.startsWith('tensorflow.') || q.startsWith('keras')) {
        const r = this.tf.method(receiver, q, name, args, node, recvNode, env, frame);
        if (r) {
          out = join(out, r);
          continue;
        }
      }
      if (q.startsWith('transform:')) {
        out = join(out, UNKNOWN);
        continue;
      }
      if (SCALERS.has(q)) {
        if (SCALER_TRANSFORMS.has(name)) {
          const a0 = args.pos[0] ?? UNKNOWN;
          const t = a0.t ? cutTensor(a0.t, node.id) : tensorFacts({});
          out = join(out, av({ kind: Kind.ARRAY, t: tensorFacts({ ...t, norm: node.id, dims: a0.t?.dims ?? null, dtype: 'float' }), site: node.id }));
        } else if (SCALER_INVERSE.has(name)) {
          const a0 = args.pos[0] ?? UNKNOWN;
          out = join(out, av({ kind: Kind.ARRAY, t: tensorFacts({ ...(a0.t ? cutTensor(a0.t, node.id) : EMPTY_TENSOR), dims: a0.t?.dims ?? null, norm: null }), site: node.id }));
        } else out = join(out, receiver);
        continue;
      }
      if (OPTIMIZER_PREFIXES.some((p) => q.startsWith(p))) {
        if (name === 'step' && args.pos[0]) {
          // `optimizer.step(closure)`: the closure's loss is trained.
          const r = this.runClosure(args.pos[0], CLOSURE_ENABLES_GRAD_PREFIXES.some((p) => q.startsWith(p)), node, env, frame);
          this.sink('optimizer-closure', r, node, 'the optimizer step', frame);
        }
        if (name === 'step') {
          const params = union(receiver.elem ? tensorOfValue(receiver.elem).params : [], this.callsOfOptimizedModel(receiver));
          // An optimizer over a written list of single tensors none of which is a model's parameter (`Adam([self.log_alpha])`,
          // SAC's temperature) changes those tensors only: the graphs of the models around it are not made stale.
          if (params.length > 0 || !this.writtenNonParameterList(receiver.elem)) this.stepParameters(params.length > 0 ? params : null, node, env, frame);
          const made = receiver.obj !== null && receiver.obj !== undefined ? this.m.tree.nodes[receiver.obj] : undefined;
          if (made && params.length > 0) {
            this.I.record('steps', { node, optimizer: made, params, fn: frame.fn, loop: this.I.loopOf(frame) }, (o, e) => {
              o.params = union(o.params, e.params);
            });
          }
        }
        out = join(out, NONE);
        continue;
      }
      if (q === 'grad-mode') {
        out = join(out, UNKNOWN);
        continue;
      }
      const inside = differentiatesInside(q);
      if (inside) {
        if (inside.methods.has(name)) this.libraryDerivative(inside, name, node, env, frame);
        out = join(out, UNKNOWN);
        continue;
      }
      const graphless = graphlessLibrary(q);
      if (graphless) {
        out = join(out, graphless.methods.has(name) ? this.graphlessResult(q, graphless, args, node) : UNKNOWN);
        continue;
      }
      if (q.startsWith('torch.distributions.')) {
        out = join(out, this.distributionMethod(receiver, name, args, node, env));
        continue;
      }
      if (q === 'torch.compile') {
        // The compiled module's own methods (`parameters()`, `eval()`); `forward` runs compiled too.
        out = join(out, name === 'forward' || name === '__call__' ? this.callLibInstance(receiver, args, node, env, frame) : this.method(receiver.elem ?? UNKNOWN, name, args, node, recvNode, env, frame));
        continue;
      }
      if (receiver.mod || q.startsWith('torch.nn.')) {
        out = join(out, this.moduleMethod(receiver, name, args, node, recvNode, env, frame));
        continue;
      }
      out = join(out, this.unknownCall(args, node, env, frame, receiver));
    }
    return out === BOTTOM ? UNKNOWN : out;
  }

  /**
   * A `torch.distributions` object's method: `sample()` draws under no_grad, a cut from the parameters; `rsample()`,
   * `log_prob(x)`, `entropy()` differentiate through them (and through `x`).
   */
  private distributionMethod(receiver: AV, name: string, args: Args, node: PyNode, env: Env): AV {
    const params = receiver.elem?.t ?? null;
    if (DISTRIBUTION_SAMPLE_METHODS.has(name)) {
      const dtype = /\.(?:Categorical|Bernoulli|Binomial|Poisson|Multinomial|Geometric|OneHotCategorical)$/.test(receiver.lib[0] ?? '') ? null : 'float';
      return av({ kind: Kind.TENSOR, t: tensorFacts({ ...cutTensor(params, node.id, false), dtype }), site: node.id });
    }
    if (DISTRIBUTION_LIVE_METHODS.has(name)) {
      const parts = [av({ kind: Kind.TENSOR, t: params ?? tensorFacts({}), site: receiver.site }), ...args.pos.filter((a) => a.t), ...[...args.kw.values()].filter((a) => a.t)];
      return this.op(parts, node, env, null);
    }
    return UNKNOWN;
  }

  /** A use that needs `value` to require grad (`retain_grad()`, `register_hook`, `assert t.requires_grad`), with the grad mode here. */
  needsGraph(what: 'retain_grad' | 'register_hook' | 'assert', value: AV, node: PyNode, env: Env, frame: Frame): void {
    const off = recordingOff(env.recording);
    this.I.record('needsGraph', { node, what, value, recording: env.recording, offValue: off ? value : undefined, fn: frame.fn }, (o, e) => {
      o.value = join(o.value, e.value);
      if (o.recording.mode === 'on' && e.recording.mode !== 'on') o.recording = e.recording;
      if (e.offValue) o.offValue = o.offValue ? join(o.offValue, e.offValue) : e.offValue;
    });
  }

  /**
   * An optimizer's `step(closure)` calling the closure it is given. PyTorch's optimizers call it inside
   * `torch.enable_grad()` (`enablesGrad`; CLOSURE_ENABLES_GRAD_PREFIXES), so it records under an outer `no_grad` too
   * (not under inference mode). Another optimizer's step is not visible: where recording is off, whether it switches
   * recording back on is unknown, and nothing in the closure is reported for it.
   */
  private runClosure(closure: AV, enablesGrad: boolean, node: PyNode, env: Env, frame: Frame): AV {
    const saved = env.recording;
    if (saved.mode === 'off') env.recording = enablesGrad ? { mode: 'on', site: null, why: '' } : { mode: 'unknown', site: saved.site, why: saved.why };
    else if (saved.mode === 'inference' && !enablesGrad) env.recording = { mode: 'unknown', site: saved.site, why: saved.why };
    try {
      return this.invoke(closure, positionalArgs([]), node, env, frame);
    } finally {
      env.recording = saved;
    }
  }

  /** A call of a library object that differentiates inside (DIFFERENTIATES_INSIDE), with the grad mode here. */
  private libraryDerivative(spec: DifferentiatesInside, method: string, node: PyNode, env: Env, frame: Frame): void {
    this.I.record('libraryDerivatives', { node, library: spec.library, why: spec.why, method, recording: env.recording, fn: frame.fn }, (old, e) => {
      if (old.recording.mode === 'on' && e.recording.mode !== 'on') old.recording = e.recording;
    });
  }

  /**
   * The result of a library method computed without a graph (GRAPHLESS_RESULTS: Captum's `attribute`). It
   * depends on the model the object wraps, through a graph cut at this call (the call's site stands for the
   * model's parameters), and on its tensor arguments through the same cut, except for classes that multiply
   * the gradient by the inputs, whose result keeps the inputs' graph through that factor.
   */
  private graphlessResult(q: string, spec: GraphlessSpec, args: Args, node: PyNode): AV {
    this.I.record('graphless', { node, library: spec.library, why: spec.why });
    const parts = [...args.pos, ...args.kw.values()].map((a) => (a.t ? a.t : isKind(a, Kind.SEQ) ? tensorOfValue(a) : null));
    const inputs = combineTensors(parts);
    const model = cutTensor(tensorFacts({ params: [node.id] }), node.id);
    const keepsInputs = spec.inputGraph.has(q.slice(q.lastIndexOf('.') + 1));
    const viaInputs = keepsInputs
      ? tensorFacts({ leaves: inputs.leaves, params: inputs.params, cuts: inputs.cuts })
      : cutTensor(inputs, node.id);
    const t = combineTensors([model, viaInputs]);
    return av({ kind: Kind.TENSOR, t: tensorFacts({ ...t, dims: args.pos[0]?.t?.dims ?? null, dtype: 'float' }), site: node.id });
  }

  private containerMethod(receiver: AV, name: string, args: Args, node: PyNode, recvNode: PyNode, env: Env, frame: Frame): AV {
    switch (name) {
      case 'append':
      case 'add':
      case 'extend':
      case 'insert': {
        const v = name === 'insert' ? args.pos[1] : args.pos[0];
        if (v) {
          const elem = name === 'extend' ? this.I.elementOf(v) : v;
          const updated = av({ ...receiver, kind: receiver.kind | Kind.SEQ, items: null, elem: receiver.elem && receiver.elem !== UNKNOWN ? join(receiver.elem, elem) : elem });
          this.updateReceiver(recvNode, updated, env, frame);
        }
        return NONE;
      }
      case 'get': {
        const k = args.pos[0]?.lit;
        if (typeof k === 'string' && receiver.keys?.has(k)) return receiver.keys.get(k)!;
        return chosenModule(receiver) ?? this.I.elementOf(receiver);
      }
      case 'pop':
        return this.I.elementOf(receiver);
      case 'items':
        return seq(null, seq([STRING, this.I.elementOf(receiver)]), node.id);
      case 'values':
        return seq(null, this.I.elementOf(receiver), node.id);
      case 'keys':
        return seq(null, STRING, node.id);
      case 'copy':
        return receiver;
      case 'index':
      case 'count':
        return NUMBER;
      default:
        return UNKNOWN;
    }
  }

  /** Call an instance of a library class: a layer, a loss, a transformed function, a tape method value. */
  private callLibInstance(callee: AV, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    let out = BOTTOM;
    for (const q of callee.lib) {
      // `Fn.apply` kept in a name and called: the Function applied.
      if (q === FUNCTION_APPLY && callee.elem) {
        out = join(out, this.autogradFunctionApply(callee.elem, args, node, env, frame) ?? this.unknownCall(args, node, env, frame, callee));
        continue;
      }
      // `torch.no_grad()(f)`: the decorator applied by a call; the result runs `f` in that grad mode.
      if (q === 'grad-mode' && args.pos.length === 1 && isKind(args.pos[0]!, Kind.FUNC)) {
        out = join(out, av({ kind: Kind.LIBINST, lib: ['grad-mode-call'], elem: args.pos[0], lit: callee.lit, site: node.id }));
        continue;
      }
      if (q === 'grad-mode-call' && callee.elem) {
        const saved = env.recording;
        const at = this.m.tree.nodes[callee.site];
        if (at) this.enterContext(av({ kind: Kind.LIBINST, lib: ['grad-mode'], lit: callee.lit, site: callee.site }), at, env);
        out = join(out, this.invoke(callee.elem, args, node, env, frame));
        env.recording = saved;
        continue;
      }
      // The closure an optimizer's `step` is given, its caller not visible: it runs the forward pass and `backward()`.
      if (q === OPTIMIZER_CLOSURE) {
        this.libraryDerivative(OPTIMIZER_CLOSURE_SPEC, '__call__', node, env, frame);
        out = join(out, UNKNOWN);
        continue;
      }
      const inside = differentiatesInside(q);
      if (inside) {
        if (inside.methods.has('__call__')) this.libraryDerivative(inside, '__call__', node, env, frame);
        out = join(out, UNKNOWN);
        continue;
      }
      if (q.startsWith('transform:')) {
        out = join(out, this.callTransform(q.slice(10), callee, args, node, env, frame));
        continue;
      }
      if (q === 'torch.compile') {
        const inner = callee.elem ?? UNKNOWN;
        // `torch.compile(mode=...)` without a function: a decorator maker.
        if (inner === UNKNOWN && args.pos.length === 1 && isKind(args.pos[0]!, Kind.FUNC)) {
          out = join(out, this.compiled(args.pos[0]!, callee.lit === 'eager' ? av({ kind: Kind.STRING, lit: 'eager' }) : undefined, node));
          continue;
        }
        const r = this.invoke(inner, args, node, env, frame);
        const compiledSite = callee.obj ?? callee.site;
        out = join(out, r.t && requiresGradish(r.t) && callee.lit !== 'eager' ? withNoDouble(r, compiledSite) : r);
        continue;
      }
      if (LOSS_MODULE.test(q)) {
        const parts = args.pos;
        out = join(out, this.op(parts, node, env, callee.lit === 'none' ? (parts[0]?.t?.dims ?? null) : [], { ...curvedLoss(q, parts, node), zeroData: this.lossZeroData(q, parts) }));
        continue;
      }
      if (q.startsWith('tensorflow.') || q.startsWith('keras')) {
        const r = this.tf.callInstance(callee, q, args, node, env, frame);
        if (r) {
          out = join(out, r);
          continue;
        }
      }
      if (q.startsWith('jax.') || q.startsWith('flax.')) {
        const r = this.jax.callInstance(callee, q, args, node, env, frame);
        if (r) {
          out = join(out, r);
          continue;
        }
      }
      if (callee.mod || q.startsWith('torch.nn.')) {
        out = join(out, this.moduleCall(callee, args, node, env, frame));
        continue;
      }
      out = join(out, this.unknownCall(args, node, env, frame, callee));
    }
    return out === BOTTOM ? UNKNOWN : out;
  }

  /** A library module applied to inputs: the output depends on its parameters; input derivatives become data. */
  moduleCall(callee: AV, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    const mod = this.moduleFactsOf(callee);
    if (callee.items && callee.lib.includes('torch.nn.Sequential')) {
      // Run the children in order (a local module inside a Sequential runs its forward).
      let x = args.pos[0] ?? UNKNOWN;
      const evalMode = callee.mod?.eval === true;
      if (evalMode) this.evalDepth++;
      this.quietModelCalls++;
      try {
        for (const child of callee.items) x = this.invoke(child, positionalArgs([x]), node, env, frame);
      } finally {
        this.quietModelCalls--;
        if (evalMode) this.evalDepth--;
      }
      const r = x.t && env.recording.mode === 'on' && (visiblyRequiresGrad(x.t) || this.ownTrainable(callee, env, node, frame)) ? av({ ...x, site: node.id, t: tensorFacts({ ...x.t, hist: union(x.t.hist, [node.id]) }) }) : av({ ...x, site: node.id });
      this.recordModelCall({ node, callee, args: args.pos, result: r, recording: env.recording, fn: frame.fn });
      return r;
    }
    if (callee.lit === 'inplace' && args.posNodes[0] && args.pos[0]?.t) this.inplaceOn(args.posNodes[0], args.pos[0], `inplace=${callee.lib[0]?.replace(/^torch\.nn\./, 'nn.') ?? 'module'}`, node, env, frame);
    // An embedding looks its weights up by index: the output depends on the weights only (indices have no derivative).
    const lookup = callee.lib.some((q) => q === 'torch.nn.Embedding' || q === 'torch.nn.EmbeddingBag');
    const ins = lookup ? [] : args.pos.filter((a) => a.t || isKind(a, Kind.UNKNOWN));
    const base = combineTensors(ins.map((a) => a.t ?? tensorFacts({ opaque: true })));
    const a0 = args.pos[0]?.t ?? null;
    // A whole model (a torchvision classifier) changes the shape however its layers say; an activation keeps it.
    const whole = callee.lib.some((q) => torchvisionModel(q) !== null);
    // `nn.Flatten()`, pooling, upsampling: no params, but another shape.
    const reshapes = callee.lib.some((q) => SHAPE_CHANGING_MODULES.test(q));
    const dims: Dims = a0?.dims && a0.dims.length > 0 && mod.outFeatures !== null ? [...a0.dims.slice(0, -1), mod.outFeatures] : !whole && !reshapes && (mod.pwl.length > 0 || mod.params.length === 0) ? (a0?.dims ?? null) : null;
    const own = mod.frozen !== null ? NO_IDS : this.trainable(mod.params, env, node, frame);
    let t = tensorFacts({
      ...base,
      params: union(base.params, own),
      pwl: union(base.pwl, mod.pwl),
      curved: dependsOnInput(base) ? union(base.curved, mod.curved) : base.curved,
      coupled: mod.eval || this.evalDepth > 0 ? base.coupled : union(base.coupled, mod.coupled),
      dGraph: NO_IDS,
      dNoGraph: NO_IDS,
      order: 0,
      norm: null,
      dims,
      dtype: 'float',
      hist: this.quietModelCalls > 0 ? base.hist : union(base.hist, [node.id]),
    });
    // A layer records a graph of its own only when its output visibly requires grad (trainable weights, a leaf input):
    // frozen or weightless layers on an input that only an unseen caller could make require grad record none. A layer
    // made in view with trainable weights of its own records one whatever its input (a batch of unknown origin).
    if (t.hist.length > base.hist.length && !visiblyRequiresGrad(t) && own.length === 0) t = tensorFacts({ ...t, hist: base.hist });
    // A module whose operation has no double backward (`nn.Hardsigmoid`, a MobileNetV3): the site is the module's
    // construction, which names it.
    if (callee.site >= 0 && callee.lib.some((q) => noDoubleBackwardOf(q) !== undefined) && (requiresGradish(t) || (frame.cls && this.I.isModuleClass(frame.cls)))) {
      t = tensorFacts({ ...t, noDouble: union(t.noDouble, [callee.site]) });
    }
    // Data holding NaN through a layer with trainable weights: the weights' derivative is that data.
    const nan = own.length > 0 && a0 ? this.nanProduct(a0, tensorFacts({ params: own }), node) : [];
    if (nan.length > 0) t = tensorFacts({ ...t, risky: union(t.risky, nan) });
    t = this.underRecording(t, env);
    let r = av({ kind: Kind.TENSOR, t, site: node.id });
    if (mod.params.length > 0 && mod.frozen === null) this.saveInputs(args.posNodes, args.pos, node, env, frame);
    if (callee.lib.some((q) => OUTPUT_SAVING_MODULES.has(q))) r = this.saveOutput(r, node);
    this.recordModelCall({ node, callee, args: args.pos, result: r, recording: env.recording, fn: frame.fn });
    return r;
  }

  /**
   * Call a transformed function: `torch.func.grad(f)(x)`, `jax.grad(f)(x)`, `vmap(f)(xs)`; also, from jax.ts, a JAX
   * derivative transform the file makes but never applies.
   */
  callTransform(q: string, callee: AV, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    const inner = callee.elem ?? UNKNOWN;
    if (q.startsWith('jax.')) this.jax.noteApplied(callee.obj);
    const spec = TORCH_DERIVATIVES[q] ?? this.jax.spec(q);
    if (!spec) {
      // vmap / jit / pmap: the function applied per sample (shapes aside).
      if (/vmap|pmap/.test(q)) {
        this.vmapDepth++;
        try {
          return this.callVmap(q, callee, inner, args, node, env, frame);
        } finally {
          this.vmapDepth--;
        }
      }
      return this.invoke(inner, args, node, env, frame);
    }
    return this.callDerivativeTransform(q, spec, inner, args, node, env, frame, this.argnumsOf(callee), callee.obj);
  }

  /** The frame of the expression being evaluated (for marking saved operands of operators). */
  saving: Frame | null = null;

  /** Inside a container's call: its children's calls share the container's call site and are not recorded apart. */
  private quietModelCalls = 0;

  private recordModelCall(ev: import('./events').ModelCallEvent): void {
    if (this.quietModelCalls > 0) return;
    this.I.record('modelCalls', ev, mergeModelCall);
  }

  /** Depth of calls of models in eval mode being analysed (their BatchNorm layers do not couple samples). */
  evalDepth = 0;

  /** Depth of `vmap` transforms being applied (derivatives inside are per sample). */
  vmapDepth = 0;

  /**
   * Depth of `vmap`s applied with the default `in_dims` (every argument mapped over its leading axis), where the
   * shape of one sample is the argument's shape without that axis.
   */
  private sampleRanks = 0;

  /** Inside such a `vmap`: a dimension argument (or default) that one sample of `x` does not have. */
  private sampleDim(spec: { params: readonly string[]; defaultDim?: number } | undefined, x: AV, args: Args, node: PyNode, frame: Frame): void {
    const dims = x.t?.dims;
    if (!spec || !dims || !isKind(x, Kind.TENSOR)) return;
    const a = this.arg(args, 'dim', spec.params);
    if (a.kind === 'unknown' || (a.kind === 'absent' && spec.defaultDim === undefined)) return;
    // The dimension as written: an integer literal, possibly negative (`dim=-1`).
    const written = a.kind === 'found' && a.node ? this.text(a.node).replace(/\s+/g, '') : null;
    const dim = a.kind === 'found' ? (written !== null && /^[-+]?\d+$/.test(written) ? Number(written) : null) : spec.defaultDim;
    if (typeof dim !== 'number' || !Number.isInteger(dim)) return;
    const rank = dims.length;
    // PyTorch takes dim 0 and -1 of a 0-dim tensor too.
    if (rank === 0 ? dim === 0 || dim === -1 : dim < rank && dim >= -rank) return;
    this.I.record('sampleDims', { node, dim, rank, byDefault: a.kind === 'absent', fn: frame.fn });
  }

  /** `vmap(f)(xs)`: `f` applied to one sample (the leading axis removed); the result gets the axis back. */
  private callVmap(q: string, callee: AV, inner: AV, args: Args, node: PyNode, env: Env, frame: Frame): AV {
    const t = callee.obj !== null ? this.m.tree.nodes[callee.obj] : null;
    const c = t ? this.m.call(t) : undefined;
    const axes = this.mappedAxes(c, args.pos.length);
    // A row of an array mapped over its leading axis is a sample of it: `viewOf` its own site (`sampleOf`). Two samples
    // of one array (a nested `vmap` over pairs given the array twice) meet at i == j.
    const per = args.pos.map((a, i) =>
      a.t
        ? av({
            ...a,
            t: tensorFacts({
              ...combineTensors([a.t]),
              leafOf: a.t.leafOf,
              dims: a.t.dims && a.t.dims.length > 0 ? a.t.dims.slice(1) : null,
              viewOf: axes[i] === 0 && a.site >= 0 ? a.site : a.t.viewOf,
            }),
          })
        : a,
    );
    // Dimensions of one sample are checked only under torch's vmap with the default `in_dims` (every argument mapped
    // over its leading axis); other `in_dims` map other axes, or none (`None`).
    const defaultInDims = q.startsWith('torch.') && !!c && !c.hasKwargs && !c.hasStarArgs && !c.keywords.has('in_dims') && c.positional.length <= 1;
    if (defaultInDims) this.sampleRanks++;
    let r: AV;
    try {
      r = this.invoke(inner, { ...args, pos: per }, node, env, frame);
    } finally {
      if (defaultInDims) this.sampleRanks--;
    }
    this.jax.noteVmap(q, callee, r, node, frame);
    return r.t ? av({ ...r, t: tensorFacts({ ...r.t, dims: r.t.dims && args.pos[0]?.t?.dims ? [args.pos[0].t.dims[0], ...r.t.dims] : null }) }) : r;
  }

  /**
   * The axis each positional argument is mapped over by a `vmap` call (`in_axes`/`in_dims`: absent is 0 for all, an
   * integer for all, a tuple or list per argument, `None` for none); null where it is not a literal.
   */
  private mappedAxes(c: CallInfo | undefined, n: number): (number | null)[] {
    const none = new Array<number | null>(n).fill(null);
    if (!c || c.hasKwargs || c.hasStarArgs) return none;
    const spec = c.keywords.get('in_axes') ?? c.keywords.get('in_dims') ?? c.positional[1];
    if (!spec) return new Array<number | null>(n).fill(0);
    const one = (e: PyNode): number | null => (e.type === 'integer' ? Number(this.text(e)) : null);
    const u = unparen(spec);
    if (u.type === 'integer') return new Array<number | null>(n).fill(one(u));
    if (u.type !== 'tuple' && u.type !== 'list') return none;
    const items = namedChildren(u);
    return items.length === n ? items.map(one) : none;
  }

  /** A sample of an array made by `vmap` (`callVmap`): its `viewOf` is its own site. */
  private sampleOf(v: AV): number | null {
    return v.t && v.t.viewOf !== null && v.t.viewOf === v.site ? v.site : null;
  }

  /**
   * `argnums=k` of the transform call that made `callee`: 0 when absent, null when it is not an integer literal (a
   * tuple, a name: which arguments are differentiated is then not known).
   */
  private argnumsOf(callee: AV): number | null {
    const t = callee.obj !== null ? this.m.tree.nodes[callee.obj] : null;
    const c = t ? this.m.call(t) : undefined;
    const a = c ? (c.keywords.get('argnums') ?? c.positional[1]) : undefined;
    if (!a) return c?.hasKwargs ? null : 0;
    return a.type === 'integer' ? Number(this.text(a)) : null;
  }

  private callDerivativeTransform(q: string, spec: DerivativeSpec, inner: AV, args: Args, node: PyNode, env: Env, frame: Frame, argnums: number | null = 0, transform: number | null = null): AV {
    // What is differentiated against: the `argnums`-th argument. Only it becomes a leaf of the function's run; the
    // other arguments are constants to this derivative (`jax.hessian(f, argnums=1)(params, x)`: the parameters are
    // not differentiated, so `relu(x @ W1) @ params` is linear in what is). When argnums is not a literal, every
    // argument may be differentiated.
    const k = argnums !== null && argnums < args.pos.length ? argnums : null;
    const inputs = (k !== null ? args.pos[k] : undefined) ?? (args.pos.length === 1 ? args.pos[0] : seq(args.pos));
    // In JAX the other arguments are plain constants to the transform: that one may have come from a caller not in
    // view (`opaque`) says nothing of how the result depends on the differentiated one.
    const constant = (v: AV): AV => (q.startsWith('jax.') && v.t?.opaque ? av({ ...v, t: tensorFacts({ ...v.t, opaque: false }) }) : v);
    const output =
      k !== null && args.pos.length > 1
        ? this.applyDifferentiated(inner, seq(args.pos.map((v, i) => (i === k ? v : constant(v)))), node, env, frame, true, k)
        : this.applyDifferentiated(inner, args.pos.length === 1 ? args.pos[0] : seq(args.pos), node, env, frame, true);
    const result = this.derivativeResult(spec, output, inputs ?? UNKNOWN, true, env, node, true);
    this.I.recordDerivative({
      perSample: this.vmapDepth > 0,
      node,
      api: q,
      spec,
      output,
      func: inner,
      inputs,
      gradOutputs: 'absent',
      createGraph: true,
      retainGraph: true,
      recording: env.recording,
      result,
      tape: null,
      fn: frame.fn,
      loop: this.I.loopOf(frame),
      transform,
      mapped: this.vmapDepth > 0,
    });
    return result;
  }

  // ------------------------------------------------------------------------------------ attributes

  attribute(node: PyNode, env: Env, frame: Frame): AV {
    const obj = field(node, 'object');
    const attr = field(node, 'attribute');
    if (!obj || !attr) return UNKNOWN;
    const o = this.I.eval(obj, env, frame);
    const key = isKind(o, Kind.INST) ? this.selfKey(obj, this.text(attr), frame) : null;
    const own = key !== null ? env.get(key) : undefined;
    if (own) return own;
    return this.attributeOf(o, this.text(attr), node, env, frame);
  }

  /**
   * Whether an expression is an instance of a class the analysis cannot see (`Quaternion(p)` of a library, through names
   * bound once and arithmetic on it: `q * q * 5`): its `.data` is that class's attribute (the tensor it wraps), not
   * `Tensor.data`.
   */
  private unseenObject(n: PyNode | null | undefined, depth = 0): boolean {
    if (!n || depth > 4) return false;
    const x = unparen(n);
    if (x.type === 'identifier') return this.unseenObject(this.onlyValue(x), depth + 1);
    if (x.type === 'binary_operator') return this.unseenObject(field(x, 'left'), depth + 1) || this.unseenObject(field(x, 'right'), depth + 1);
    if (x.type !== 'call') return false;
    const fn = field(x, 'function');
    // `pack_padded_sequence(out, lengths).data`: a PackedSequence's field, the packed tensor with its history.
    if (fn && PACKED_SEQUENCE_MAKERS.has(this.lastName(fn)) && /^(?:torch\.nn\.utils\.rnn\.)?\w+$/.test(this.m.qualifiedName(fn) ?? this.lastName(fn))) return true;
    if (!fn || !/^[A-Z]/.test(this.lastName(fn))) return false;
    const q = this.m.qualifiedName(fn) ?? '';
    // A class of the file is seen; a framework's own classes (`torch.nn.Parameter`, `tf.Variable`) are tensors or modules.
    if (!q || /^(?:torch|jax|flax|tensorflow|keras|numpy)\./.test(q)) return false;
    return !this.I.model.functions.some((f) => f.node === x) && !q.startsWith('.');
  }

  attributeOf(o: AV, name: string, node: PyNode, env: Env, frame: Frame): AV {
    let out = BOTTOM;
    // `q.data` of `q = Quaternion(p)` (a library class the analysis cannot see): the object's field, the tensor it wraps.
    if (name === 'data' && !isKind(o, Kind.INST) && !isKind(o, Kind.LIBINST) && node.type === 'attribute' && this.unseenObject(field(node, 'object'))) {
      return o.t ? av({ kind: Kind.UNKNOWN | Kind.TENSOR, t: tensorFacts({ ...combineTensors([o.t]), hist: o.t.hist, freed: o.t.freed, stale: o.t.stale }), site: node.id }) : UNKNOWN;
    }
    // A field of a namedtuple's instance (`out.relu2_2` of `VggOutputs(h1, h2, ...)`).
    if (isKind(o, Kind.SEQ) && o.keys) {
      const field = o.keys.get(name);
      if (field) return field;
    }
    // `torch.topk(x, k).values` / `.indices` (the pair `valuesAndIndices` makes).
    if ((name === 'values' || name === 'indices') && isKind(o, Kind.SEQ) && o.items?.length === 2 && o.items[1].t?.dtype === 'int' && o.items[0].t) {
      return name === 'values' ? o.items[0] : o.items[1];
    }
    // A workspace module imported whole (`import models`): its names as the appended module defines them.
    const own = isKind(o, Kind.LIB) ? o.keys?.get(name) : undefined;
    if (own) out = join(out, own);
    else if (isKind(o, Kind.LIB)) out = join(out, av({ kind: Kind.LIB, lib: o.lib.map((q) => canonical(`${q}.${name}`)) }));
    if (isKind(o, Kind.INST)) {
      for (const cls of o.classes) {
        const a = this.I.attrOf(cls, name);
        if (a) out = join(out, a);
        else {
          const m = this.I.methodOf(cls, name);
          // A method the class leaves to its subclasses (absent, or abstract: it only raises NotImplementedError):
          // the overrides of the file's subclasses, each on an instance of its class (`self.loss(x)` in a base
          // trainer's `@torch.no_grad()` evaluation, `loss` defined by each concrete trainer).
          const subs = !m || this.I.isAbstract(m) ? this.I.overridesOf(cls, name) : [];
          if (subs.length > 0) out = join(out, av({ kind: Kind.FUNC, fns: subs.map((o) => ({ node: o.node, self: this.I.instanceOf(o.cls) })), site: subs[0].node.id }));
          else if (m) out = join(out, av({ kind: Kind.FUNC, fns: [{ node: m, self: this.I.instanceOf(cls) }], site: m.id }));
          else if (this.I.isModuleClass(cls) && (name === 'weight' || name === 'bias')) out = join(out, tensor({ params: [cls.node.id], variable: true }));
          // `model.module` of a model wrapped in `nn.DataParallel` (the analysis gives the wrapper the model itself).
          else if (this.I.isModuleClass(cls) && name === 'module') out = join(out, o);
          // `self.state` of an optimizer class: dicts (per parameter) of statistics that require no grad.
          else if (name === OPTIMIZER_STATE_ATTRIBUTE && this.I.libBasesOf(cls).some((q) => OPTIMIZER_PREFIXES.some((p) => q.startsWith(p)))) {
            const statistic = av({ kind: Kind.TENSOR | Kind.UNKNOWN, t: tensorFacts({}) });
            out = join(out, av({ kind: Kind.DICT, elem: av({ kind: Kind.DICT, elem: statistic }) }));
          } else out = join(out, UNKNOWN);
        }
      }
    }
    if (isKind(o, Kind.CLASS)) {
      for (const cls of o.classes) {
        const m = this.I.methodOf(cls, name);
        // `grid_encode = _GridEncode.apply` of a custom autograd Function: calling it applies the Function.
        if (!m && name === 'apply' && this.I.libBasesOf(cls).some((b) => AUTOGRAD_FUNCTION_BASES.has(b))) {
          out = join(out, av({ kind: Kind.LIBINST, lib: [FUNCTION_APPLY], elem: av({ kind: Kind.CLASS, classes: [cls], site: cls.node.id }), site: node.id }));
          continue;
        }
        out = join(out, m ? av({ kind: Kind.FUNC, fns: [{ node: m, self: null }], site: m.id }) : (this.I.attrOf(cls, name) ?? UNKNOWN));
      }
    }
    if (isKind(o, Kind.TENSOR) || isKind(o, Kind.ARRAY)) out = join(out, this.tensorAttribute(o, name, node, env, frame));
    // `torch.compile(model).fc`: the compiled module's attributes are the module's.
    if (isKind(o, Kind.LIBINST) && o.lib.includes('torch.compile') && o.elem) out = join(out, this.attributeOf(o.elem, name, node, env, frame));
    else if (isKind(o, Kind.LIBINST)) out = join(out, this.libInstanceAttribute(o, name, node));
    if (isKind(o, Kind.UNKNOWN)) {
      if (name === 'grad') out = join(out, this.tensorAttribute(av({ kind: Kind.TENSOR, t: o.t ?? tensorFacts({ opaque: true }) }), name, node, env, frame));
      else if (name === 'data' || name === 'T') out = join(out, this.tensorAttribute(av({ kind: Kind.TENSOR | Kind.UNKNOWN, t: o.t ?? tensorFacts({ opaque: true }) }), name, node, env, frame));
      // `outputs.logits`, `model(x).energies`: a field of a model's output carries what the output carries.
      else out = join(out, o.t ? av({ kind: Kind.UNKNOWN | Kind.TENSOR, t: tensorFacts({ ...combineTensors([o.t]), hist: o.t.hist, freed: o.t.freed, stale: o.t.stale }), site: node.id }) : UNKNOWN);
    }
    if (isKind(o, Kind.DICT) || isKind(o, Kind.SEQ)) out = join(out, UNKNOWN);
    return out === BOTTOM ? UNKNOWN : out;
  }

  private tensorAttribute(o: AV, name: string, node: PyNode, env: Env, frame: Frame): AV {
    const t = o.t ?? tensorFacts({});
    switch (name) {
      case 'grad':
        return this.gradRead(o, node, env, frame);
      case 'data':
        return av({ kind: o.kind & (Kind.TENSOR | Kind.ARRAY | Kind.UNKNOWN), t: tensorFacts({ ...cutTensor(t, node.id), gradOf: t.gradOf, leafOf: null }), site: node.id });
      case 'T':
      case 'mT':
        return this.reshaped(o, t.dims ? [...t.dims].reverse() : null, node);
      case 'shape':
        return seq(t.dims ? t.dims.map((d) => av({ kind: Kind.NUMBER, lit: d })) : null, NUMBER);
      case 'requires_grad':
      case 'is_leaf':
        return BOOL;
      case 'real':
      case 'imag':
        return o;
      default:
        return UNKNOWN;
    }
  }

  /** `x.grad`: the accumulation buffer of leaf `x` (no graph unless `backward(create_graph=True)`). */
  private gradRead(o: AV, node: PyNode, env: Env, frame: Frame): AV {
    const t = o.t ?? tensorFacts({});
    const L = t.leafOf;
    const state = L !== null ? env.grads.get(L) : undefined;
    const fills = state?.fills ?? NO_IDS;
    let graph = false;
    let ofParams = false;
    let order = 0;
    // `loss.backward(create_graph=True)`: the `.grad` it fills is a derivative with a graph, like
    // `autograd.grad(loss, x, create_graph=True)`, which holds the backward of every operation on the way (an
    // operation without a double backward, the piecewise-linear or curved layers) for a second derivative of it.
    let through = tensorFacts({});
    for (const f of fills) {
      const b = this.backwardFacts.get(f);
      if (!b) continue;
      if (b.createGraph !== false) {
        graph = true;
        through = combineTensors([through, tensorFacts({ leaves: b.target.leaves, params: b.target.params, pwl: b.target.pwl, curved: b.target.curved, coupled: b.target.coupled, noDouble: b.target.noDouble })]);
      }
      if (b.target.params.length > 0 || b.target.opaque) ofParams = true;
      order = Math.max(order, b.target.order + 1);
    }
    const withGraph = graph
      ? { leaves: L !== null ? union(through.leaves, [L]) : through.leaves, params: through.params, pwl: through.pwl, curved: through.curved, coupled: through.coupled, noDouble: through.noDouble }
      : {};
    const v = av({
      kind: Kind.TENSOR,
      t: tensorFacts({ ...withGraph, gradOf: L, dims: t.dims, dtype: 'float', order, dNoGraph: !graph && ofParams ? [node.id] : NO_IDS, dGraph: graph ? [node.id] : NO_IDS }),
      site: node.id,
    });
    this.I.record('gradReads', {
      node,
      owner: o,
      fills,
      zeroed: state?.zeroed ?? true,
      accumulated: state?.accumulated ?? false,
      fn: frame.fn,
      loop: this.I.loopOf(frame),
      value: v,
    }, (old, e) => {
      const a = old as { fills: readonly number[]; accumulated: boolean; zeroed: boolean };
      const b = e as { fills: readonly number[]; accumulated: boolean; zeroed: boolean };
      a.fills = union(a.fills as number[], b.fills as number[]);
      a.accumulated = a.accumulated || b.accumulated;
      a.zeroed = a.zeroed || b.zeroed;
    });
    return v;
  }

  private libInstanceAttribute(o: AV, name: string, node: PyNode): AV {
    for (const q of o.lib) {
      if (q.startsWith('torch.distributions.')) return DISTRIBUTION_LIVE_ATTRIBUTES.has(name) && o.elem?.t ? av({ kind: Kind.TENSOR, t: o.elem.t, site: node.id }) : UNKNOWN;
      if (SCALERS.has(q)) return av({ kind: Kind.ARRAY, t: tensorFacts({ dtype: 'float' }), site: node.id, lit: `scaler.${name}` });
      if (q.startsWith('tensorflow.') || q.startsWith('keras')) {
        const r = this.tf.attribute(o, q, name, node);
        if (r) return r;
      }
      if (o.mod || q.startsWith('torch.nn.')) {
        if (name === 'weight' || name === 'bias') return tensor({ params: o.mod?.params.length ? o.mod.params : [o.site], variable: true, dtype: 'float' }, node.id);
        if (o.items && /^\d+$/.test(name)) return o.items[Number(name)] ?? UNKNOWN;
        // `wrapped.module` of `nn.DataParallel(nn.Sequential(...))`: the analysis gives the wrapper the module itself.
        if (name === 'module' && o.mod) return o;
        // A part of a known model (`vgg.features`, `resnet.layer4`, `resnet.fc`) is made of the same kinds of layers.
        if (o.mod && torchvisionModel(q)) return o;
      }
    }
    return UNKNOWN;
  }

  // ------------------------------------------------------------------------------------ stores

  storeAttribute(target: PyNode, v: AV, env: Env, frame: Frame, valueNode: PyNode | null): void {
    const obj = field(target, 'object');
    const attr = field(target, 'attribute');
    if (!obj || !attr) return;
    const name = this.text(attr);
    const o = this.I.eval(obj, env, frame);
    if (isKind(o, Kind.INST)) {
      for (const cls of o.classes) {
        const old = cls.attrs.get(name);
        cls.attrs.set(name, old ? join(old, v) : v);
      }
      // Flow-sensitive within the method (see Interpreter.forgetSelfAttributes).
      const key = this.selfKey(obj, name, frame);
      if (key !== null) env.set(key, v);
    }
    if (isKind(o, Kind.LIBINST) && o.mod && o.lib.some((q) => torchvisionModel(q) !== null)) {
      // `model.fc = nn.Linear(512, 1)` (transfer learning): the new part's layers join the model's. A part whose
      // layers are not all library layers may be curved.
      const part = libraryLayers(v) ?? { ...EMPTY_MODULE, curved: [target.id] };
      this.updateReceiver(obj, av({ ...o, mod: joinModule(o.mod, part)! }), env, frame);
    }
    if (isKind(o, Kind.TENSOR) || isKind(o, Kind.UNKNOWN)) {
      if (name === 'requires_grad') {
        if (v.lit === false || v.lit === 0) {
          // `p.requires_grad = False` on parameters freezes them.
          if (o.t?.variable) {
            this.frozen.add(target.id);
            this.freeze(env, o.t.params, target.id);
          }
          return;
        }
        // `p.requires_grad = True` (or a value the code does not show) on parameters: no longer frozen.
        if (o.t?.variable) this.unfreeze(env, o.t.params);
        const marked = this.markLeaf(o, target.parent ?? target, 'attribute', obj, env, frame);
        this.updateReceiver(obj, marked, env, frame);
      } else if (name === 'grad') {
        // `x.grad = None` or a new buffer (`x.grad = torch.zeros(...)`): what earlier backwards added is gone.
        const L = o.t?.leafOf;
        if (L !== null && L !== undefined) env.grads.set(L, CLEARED_GRAD);
      } else if (name === 'data') {
        this.updateReceiver(obj, av({ ...o, t: o.t ? tensorFacts({ ...o.t, dims: v.t?.dims ?? o.t.dims }) : o.t }), env, frame);
      }
    }
    void valueNode;
  }

  readonly frozen = new Set<number>();

  /** Where each parameter site was last frozen (the `requires_grad` store or call), for messages. */
  readonly freezeSites = new Map<number, number>();

  /** Parameters `params` are frozen from here on (on this path). */
  freeze(env: Env, params: readonly number[], site: number): void {
    if (params.length === 0) return;
    env.frozen = union(env.frozen, params);
    for (const p of params) this.freezeSites.set(p, site);
  }

  unfreeze(env: Env, params: readonly number[]): void {
    if (params.length === 0 || env.frozen.length === 0) return;
    env.frozen = minus(env.frozen, params);
  }

  /** `params` without those frozen here; a call that left some out is recorded (`frozenCalls`). */
  private trainable(params: readonly number[], env: Env, node: PyNode, frame: Frame): readonly number[] {
    if (env.frozen.length === 0 || params.length === 0) return params;
    const left = minus(params, env.frozen);
    if (left.length === params.length) return params;
    const freezes = [...new Set(params.filter((p) => !left.includes(p)).map((p) => this.freezeSites.get(p)).filter((s): s is number => s !== undefined))];
    this.I.record('frozenCalls', { node, freezes, fn: frame.fn }, (o, e) => {
      const a = o as { freezes: readonly number[] };
      a.freezes = [...new Set([...a.freezes, ...(e as { freezes: readonly number[] }).freezes])];
    });
    return left;
  }

  storeSubscript(target: PyNode, v: AV, env: Env, frame: Frame): void {
    const base = field(target, 'value');
    if (!base) return;
    for (const s of target.children) if (s.field === 'subscript') this.I.eval(s, env, frame);
    const o = this.I.eval(base, env, frame);
    if (isKind(o, Kind.TENSOR)) {
      this.inplaceOn(base, o, '[]=', target, env, frame);
      const t = o.t ?? tensorFacts({});
      // `x[:] = ...` under no_grad (an attack's update step): x is still the same leaf that requires grad.
      if (t.leafOf !== null && env.recording.mode !== 'on' && env.recording.mode !== 'unknown') return;
      // `y[mask] = v` with a boolean mask is `y = where(mask, v, y)`: the entries it replaces still send their
      // gradient (0) to the operation that made them.
      const subs = target.children.filter((c) => c.field === 'subscript');
      const right = target.parent?.type === 'assignment' && field(target.parent, 'left') === target ? field(target.parent, 'right') : null;
      const masked = subs.length === 1 && this.booleanMask(subs[0]!) ? this.whereMasked(subs[0]!, [o], target, frame, { branchNodes: [base, right] }) : [];
      const guarded = masked.length > 0 ? { risky: NO_IDS, masked: union(t.masked, masked) } : {};
      const merged = this.op([o, v], target, env, t.dims, { leafOf: t.leafOf, mayLeaf: t.mayLeaf, norm: t.norm ?? v.t?.norm ?? null, gradOf: t.gradOf, ...guarded });
      this.updateReceiver(base, merged, env, frame);
    } else if (o.kind === Kind.UNKNOWN && v.t && isKind(v, Kind.TENSOR) && this.sliceStore(target)) {
      // `images[b:b+1, :, :, :] = image` on a value of unknown kind: a slice (or an index with one) is not a
      // dict key, so it is a tensor or an array, and it now holds the stored tensor's history (a slice of it
      // is no longer a leaf).
      if (env.recording.mode !== 'on' && env.recording.mode !== 'unknown') return;
      const merged = av({ ...o, t: this.op([o, v], target, env, o.t?.dims ?? null, { norm: o.t?.norm ?? v.t.norm ?? null }).t });
      this.updateReceiver(base, merged, env, frame);
    } else if (isKind(o, Kind.DICT) || isKind(o, Kind.SEQ) || isKind(o, Kind.UNKNOWN)) {
      const sub = target.children.find((c) => c.field === 'subscript');
      const key = sub ? this.I.analysis.values.get(sub.id)?.lit : undefined;
      let keys = o.keys;
      if (typeof key === 'string') {
        const k = new Map(keys ?? []);
        k.set(key, v);
        keys = k;
      }
      const updated = av({ ...o, kind: o.kind === Kind.UNKNOWN ? Kind.UNKNOWN | Kind.DICT : o.kind, items: null, keys, elem: o.elem && o.elem !== UNKNOWN ? join(o.elem, v) : v });
      this.updateReceiver(base, updated, env, frame);
    } else if (isKind(o, Kind.ARRAY)) {
      const merged = av({ ...o, t: tensorFacts({ ...combineTensors([o.t, v.t]), dims: o.t?.dims ?? null, norm: o.t?.norm ?? v.t?.norm ?? null }) });
      this.updateReceiver(base, merged, env, frame);
    }
  }

  /** `x[a:b] = v`, `x[..., 0] = v`, `x[i, :] = v`: an index a dict cannot have (tensors and arrays take it). */
  private sliceStore(target: PyNode): boolean {
    return target.children.some((c) => c.field === 'subscript' && (c.type === 'slice' || c.type === 'ellipsis'));
  }

  /** After an in-place change (`x.add_()`, `x.requires_grad_()`, `lst.append()`): the variable now holds `v`. */
  updateReceiver(recv: PyNode, v: AV, env: Env, frame: Frame): void {
    const r = unparen(recv);
    if (r.type === 'identifier') this.I.setName(this.text(r), v, env, frame);
    else if (r.type === 'attribute') {
      const obj = field(r, 'object');
      const attr = field(r, 'attribute');
      if (!obj || !attr) return;
      const o = this.I.analysis.values.get(obj.id);
      if (o && isKind(o, Kind.INST)) {
        for (const cls of o.classes) cls.attrs.set(this.text(attr), join(cls.attrs.get(this.text(attr)) ?? v, v));
        const key = this.selfKey(obj, this.text(attr), frame);
        if (key !== null) env.set(key, v);
      }
    }
  }

  /** Record an in-place change of a tensor. */
  inplaceOn(expr: PyNode, target: AV, op: string, node: PyNode, env: Env, frame: Frame): void {
    if (!isKind(target, Kind.TENSOR) || !target.t) return;
    // Merged over the contexts it runs in: a loop's later rounds see what the round before saved (`b[i] = ...` before
    // `torch.mm(w, b)` in the same body changes, from the second round on, the `b` the previous round's product saved).
    // Only the saving operations after the change count (what else a later round knows stays with the first round's value).
    this.I.record('inplace', { node, op, target, expr, recording: env.recording, fn: frame.fn }, (o, e) => {
      const ot = o.target.t;
      if (o.recording.mode !== e.recording.mode || !ot || !e.target.t) return;
      const later = e.target.t.saved.filter((id) => !ot.saved.includes(id) && (this.m.tree.nodes[id]?.start ?? -1) >= node.end);
      // A later round's tensor may require grad where the first round's did not (`f[i] = f[i - 1] * x` into a
      // preallocated `torch.zeros`): what it requires grad through comes with what it saved.
      const et = e.target.t;
      if (later.length > 0) o.target = av({ ...o.target, t: tensorFacts({ ...ot, saved: union(ot.saved, later), leaves: union(ot.leaves, et.leaves), params: union(ot.params, et.params), mayLeaf: union(ot.mayLeaf, et.mayLeaf) }) });
    });
  }

  // ------------------------------------------------------------------------------------ operators

  binary(op: string, l: AV, r: AV, node: PyNode, env: Env, frame?: Frame): AV {
    const lt = isKind(l, Kind.TENSOR);
    const rt = isKind(r, Kind.TENSOR);
    if (lt || rt || l.t || r.t) {
      const ld = l.t?.dims ?? (isKind(l, Kind.NUMBER) ? [] : null);
      const rd = r.t?.dims ?? (isKind(r, Kind.NUMBER) ? [] : null);
      const dims = op === '@' ? matmulDims(ld, rd) : broadcast(ld, rd);
      // Division by something that can be 0 (an input, or a zero), a fractional power, a product with infinity.
      const base = combineTensors([l.t, r.t]);
      const infinite = (v: AV): boolean => v.lib.some((q) => /\.(?:inf|infty|Inf)$/.test(q)) || v.lit === Infinity;
      const riskyOp =
        ((op === '/' || op === '//') && ((!!r.t && dependsOnInput(r.t)) || r.lit === 0 || this.zeroData(field(node, 'right')))) ||
        (op === '**' && typeof r.lit === 'number' && r.lit < 1 && r.lit > 0) ||
        // A negative power is a division by a power of the base.
        (op === '**' && typeof r.lit === 'number' && r.lit < 0 && !!l.t && dependsOnInput(l.t)) ||
        (op === '*' && (infinite(l) || infinite(r)));
      const infRisky = op === '**' ? this.infRisky('pow', l, node, r) : [];
      // A fractional power of a value that is 0 where a tensor meets itself (`d2 ** 0.5`): infinite derivative there.
      const rootOfZeros = op === '**' && typeof r.lit === 'number' && r.lit > 0 && r.lit < 1 && !!l.t && this.singularZeros(l.t, node).length > 0;
      const nanSites = op === '*' || op === '@' ? union(this.nanProduct(l.t, r.t, node), this.nanProduct(r.t, l.t, node)) : NO_IDS;
      const differentiable = (t: TensorFacts | null | undefined): boolean => !!t && (dependsOnInput(t) || t.params.length > 0);
      if (op === '*' && differentiable(l.t) && differentiable(r.t) && this.logOfSameValue(node)) this.logProducts.add(node.id);
      const risky = this.riskyFacts(
        base.risky,
        riskyOp ? (op === '/' || op === '//' ? this.riskySite(r, node) : op === '**' && typeof r.lit === 'number' && r.lit < 0 ? this.riskySite(l, node) : rootOfZeros ? this.diagonalSites(node, this.singularZeros(l.t!, node)) : [node.id]) : null,
        union(infRisky, nanSites),
      );
      // Where a second derivative with respect to the input appears: x * x, 1 / x, x ** 2.
      const ldep = !!l.t && dependsOnInput(l.t);
      const rdep = !!r.t && dependsOnInput(r.t);
      const isCurved = ((op === '*' || op === '@') && ldep && rdep) || (op === '/' && rdep) || (op === '**' && ldep && r.lit !== 1) || (op === '**' && rdep);
      const curved = isCurved ? { curved: union(base.curved, [node.id]) } : {};
      // Affine in the leaves: sums and differences of affine values and constants, products and quotients by constants.
      const constantOf = (v: AV): boolean =>
        !isKind(v, Kind.UNKNOWN) && ((isKind(v, Kind.NUMBER) && !v.t) || (isKind(v, Kind.TENSOR) && !!v.t && !requiresGradish(v.t)));
      const affineOf = (v: AV): boolean => !!v.t && v.t.affine;
      const affine =
        ((op === '+' || op === '-') && (affineOf(l) || constantOf(l)) && (affineOf(r) || constantOf(r)) && (affineOf(l) || affineOf(r))) ||
        (op === '*' && ((affineOf(l) && constantOf(r)) || (constantOf(l) && affineOf(r)))) ||
        (op === '/' && affineOf(l) && constantOf(r));
      // Normalization: (x - mu) / sigma on data.
      const norm = l.t?.norm ?? r.t?.norm ?? null;
      // Arithmetic on a value not visible (an entry point's parameter `v`: maybe a tensor) may be a tensor too: `(v * v).sum(-1)`.
      const unseen = (isKind(l, Kind.UNKNOWN) && !!l.t) || (isKind(r, Kind.UNKNOWN) && !!r.t);
      const kind = lt || rt ? Kind.TENSOR : isKind(l, Kind.ARRAY) || isKind(r, Kind.ARRAY) ? Kind.ARRAY : unseen ? Kind.NUMBER | Kind.UNKNOWN : Kind.NUMBER;
      // A difference of a tensor with itself is 0 on the diagonal; a square (`d ** 2`, `d * d`) keeps those zeros, and a
      // fractional power of them (`d2 ** 0.5`) has an infinite derivative there.
      const zeros =
        op === '-'
          ? this.selfDifference(node, l, r)
          : op === '**' && typeof r.lit === 'number' && r.lit > 0
            ? (l.t?.zeros ?? NO_IDS)
            : op === '*' && (l.t?.zeros.length ?? 0) > 0 && (r.t?.zeros.length ?? 0) > 0
              ? union(l.t!.zeros, r.t!.zeros)
              : NO_IDS;
      // Zero data stays 0 times anything, and under a positive power.
      // `x * 0`: all zero whatever `x` is; a sum or difference of two all-zero values is all zero.
      const allZero = (v: AV): boolean => v.lit === 0 || (!!v.t && v.t.zeroData.length > 0 && v.t.zeroData.every((id) => !this.partialZeroData.has(id)));
      const zeroData =
        op === '*'
          ? l.lit === 0 || r.lit === 0
            ? this.zeroDataSite(node)
            : union(l.t?.zeroData ?? NO_IDS, r.t?.zeroData ?? NO_IDS)
          : op === '**' && typeof r.lit === 'number' && r.lit > 0
            ? (l.t?.zeroData ?? NO_IDS)
            : (op === '+' || op === '-') && allZero(l) && allZero(r) && (l.t || r.t)
              ? union(l.t?.zeroData ?? NO_IDS, r.t?.zeroData ?? NO_IDS)
              : NO_IDS;

      if (kind !== Kind.TENSOR) return av({ kind, t: tensorFacts({ ...base, dims, norm, zeros, zeroData, dtype: floatOf([l, r]) }), site: node.id });
      // What the product, quotient, power and matmul save: each operand the other operand's gradient needs. An
      // operand that may require grad only because an unseen caller could pass such a tensor (`beta` of
      // `def loss(x, kl, beta=1.)`) is not taken to need the other one saved.
      if (this.saving) {
        const lg = !!l.t && requiresGradish(l.t);
        const rg = !!r.t && requiresGradish(r.t);
        const lv = !!l.t && visiblyRequiresGrad(l.t);
        const rv = !!r.t && visiblyRequiresGrad(r.t);
        const ln = field(node, 'left');
        const rn = field(node, 'right');
        if ((op === '*' || op === '@') && lg && rg && (lv || rv)) this.saveInputs([ln, rn], [l, r], node, env, this.saving);
        else if (op === '/' && rg) this.saveInputs([ln, rn], [l, r], node, env, this.saving);
        else if (op === '**' && lg) this.saveInputs([ln], [l], node, env, this.saving);
      }
      // `mask.float() * branch`: a mask applied by multiplication selects like `where(mask, branch, 0)`, and the
      // branch's infinite derivative on the entries it zeroes meets the mask's 0 there as well.
      // `sqrt(s) + eps`: an epsilon added to a root after it is taken (to keep a divisor away from 0) leaves the root's
      // infinite derivative at 0, where the epsilon is meant to act.
      if (op === '+' && frame) {
        const shifted = this.rootGuarded(l, r, field(node, 'right'), node, frame, true);
        const guarded = shifted.length > 0 ? shifted : this.rootGuarded(r, l, field(node, 'left'), node, frame, true);
        if (guarded.length > 0) return this.op([l, r], node, env, dims, { risky: NO_IDS, masked: union(base.masked, guarded), ...curved, norm });
      }
      const masked = op === '*' && frame ? this.productMasked(node, l, r, frame) : [];
      if (masked.length > 0) return this.op([l, r], node, env, dims, { risky: NO_IDS, masked: union(base.masked, masked), ...curved, norm });
      return this.op([l, r], node, env, dims, { ...risky, ...curved, norm, zeros, zeroData, ...(affine ? { affine: true } : {}) });
    }
    if (isKind(l, Kind.SEQ) && isKind(r, Kind.SEQ) && op === '+') return seq(l.items && r.items ? [...l.items, ...r.items] : null, join(l.elem ?? UNKNOWN, r.elem ?? UNKNOWN));
    if (isKind(l, Kind.NUMBER) && isKind(r, Kind.NUMBER)) return NUMBER;
    if (isKind(l, Kind.STRING) || isKind(r, Kind.STRING)) return STRING;
    if (isKind(l, Kind.UNKNOWN) || isKind(r, Kind.UNKNOWN)) return UNKNOWN;
    return join(l, r);
  }

  unary(v: AV, node: PyNode, env: Env): AV {
    if (isKind(v, Kind.TENSOR)) return this.op([v], node, env, v.t?.dims ?? null, { norm: v.t?.norm ?? null, ...(v.t?.affine && /^[-+]/.test(this.text(node)) ? { affine: true } : {}) });
    // `-1`: the negated number (a size of -1 in `view(-1, 1)` is inferred, an axis of -1 is the last).
    if (typeof v.lit === 'number' && /^-/.test(this.text(node))) return { ...v, lit: -v.lit };
    return v;
  }

  comparison(parts: AV[], node: PyNode, env: Env): AV {
    // A boolean tensor: no gradient flows back through a comparison (what it compared is cut here).
    if (parts.some((p) => isKind(p, Kind.TENSOR))) return av({ kind: Kind.TENSOR, t: tensorFacts({ dtype: 'bool', dims: parts.find((p) => p.t)?.t?.dims ?? null, cuts: cutTensor(combineTensors(parts.map((p) => p.t)), node.id).cuts }), site: node.id });
    void env;
    return BOOL;
  }

  subscript(node: PyNode, env: Env, frame: Frame): AV {
    const base = field(node, 'value');
    const subs = node.children.filter((c) => c.field === 'subscript');
    const o = base ? this.I.eval(base, env, frame) : UNKNOWN;
    const idx = subs.map((s) => this.I.eval(s, env, frame));
    let out = BOTTOM;
    if (isKind(o, Kind.SEQ)) {
      const i = idx.length === 1 ? idx[0].lit : undefined;
      if (typeof i === 'number' && o.items) out = join(out, o.items[i < 0 ? o.items.length + i : i] ?? this.I.elementOf(o));
      else if (subs.length === 1 && subs[0].type === 'slice') out = join(out, seq(null, this.I.elementOf(o)));
      else out = join(out, this.I.elementOf(o));
    }
    if (isKind(o, Kind.DICT)) {
      const k = idx[0]?.lit;
      out = join(out, typeof k === 'string' && o.keys?.has(k) ? o.keys.get(k)! : chosenModule(o) ?? this.I.elementOf(o));
    }
    if (isKind(o, Kind.TENSOR) || isKind(o, Kind.ARRAY)) {
      const t = o.t ?? tensorFacts({});
      const dims = indexDims(t.dims, subs, idx, (n) => this.text(n));
      const c = isKind(o, Kind.TENSOR) ? combineTensors([t]) : t;
      const view = this.broadcastBase(node) !== null && o.site >= 0 ? { viewOf: o.site } : {};
      // A gather from data holding zeros (`eps_prm[labels]`) may pick them: not a literal integer index, which picks one entry.
      // A boolean selection (`x[x > 0]`, `x[mask]`) is written to leave entries out: not taken to keep the zeros.
      const boolean =
        subs.some((s) => /^(?:comparison_operator|boolean_operator|not_operator|unary_operator)$/.test(unparen(s).type)) ||
        idx.some((i) => i.t?.dtype === 'bool') ||
        (subs.length === 1 && this.booleanMask(subs[0]!));
      const zeroData = boolean || idx.every((i) => typeof i.lit === 'number') ? NO_IDS : t.zeroData;
      // `y[mask]` after a singular operation on `y`'s inputs (`(d ** 0.5)[d > 0]`, `loss_fn(pred, target)[~isnan(target)]`): a
      // selection applied after the operation is a `where` for its derivative (the left-out entries get a 0 cotangent).
      // Operations at a zero the code makes (a pairwise self-difference, zero data) are reported as such (`diagonalSites`).
      const selection =
        boolean && subs.length === 1 && t.risky.length > 0 && !t.risky.some((r) => this.zeroSites.has(r)) && isKind(o, Kind.TENSOR) && this.booleanMask(subs[0]!)
          ? this.whereMasked(subs[0]!, [o], node, frame)
          : [];
      const masked = selection.length > 0 ? { masked: union(c.masked, selection) } : {};
      // A boolean selection (`y[~isnan(y)]`) is written to leave entries out: not taken to keep literal non-finite entries.
      const finite = boolean ? { inf: NO_IDS } : {};
      // Basic indexing (integers, slices, `...`, `None`) makes a view: it shares what was saved of the tensor (`h[:, 0] += 1`).
      const basic = subs.every((sn) => /^(?:integer|slice|ellipsis|none|unary_operator)$/.test(unparen(sn).type) && (unparen(sn).type !== 'unary_operator' || /^-\s*\d+$/.test(this.text(sn))));
      const savedOfView = basic && isKind(o, Kind.TENSOR) && t.saved.length > 0 ? { saved: t.saved } : {};
      out = join(out, av({ kind: o.kind & (Kind.TENSOR | Kind.ARRAY | Kind.UNKNOWN), t: tensorFacts({ ...c, dims, dtype: t.dtype, norm: t.norm, gradOf: t.gradOf, leafOf: null, zeroData, ...view, ...masked, ...finite, ...savedOfView }), site: node.id }));
    }
    if (isKind(o, Kind.LIBINST) && o.items) {
      const i = idx[0]?.lit;
      if (subs.length === 1 && subs[0].type === 'slice') {
        // `self.layers[:-1]` of an `nn.ModuleList`/`nn.Sequential`: the container of the sliced modules (all of
        // them when the bounds are not literal integers).
        const items = sliceItems(o.items, this.text(subs[0]));
        out = join(out, items ? av({ ...o, items }) : o);
      } else out = join(out, typeof i === 'number' ? (o.items[i < 0 ? o.items.length + i : i] ?? UNKNOWN) : UNKNOWN);
    } else if (isKind(o, Kind.LIBINST) && o.elem && o.lib.some((q) => MODULE_CONTAINERS.has(q))) {
      // An `nn.ModuleList` (its modules joined in `elem`): a slice is a container of some of them, an index one of them.
      out = join(out, subs.length === 1 && subs[0].type === 'slice' ? o : o.elem);
    }
    if (isKind(o, Kind.UNKNOWN) || out === BOTTOM) out = join(out, o.t ? av({ kind: Kind.UNKNOWN, t: combineTensors([o.t]) }) : UNKNOWN);
    return out;
  }

  /** What one iteration of `for x in v` binds. */
  iterate(v: AV, node: PyNode | null): AV {
    void node;
    if (isKind(v, Kind.LIBINST) && v.lib.some((q) => q.startsWith('torch.utils.data.'))) return v.elem ?? UNKNOWN;
    return this.I.elementOf(v);
  }

  // ------------------------------------------------------------------------------------ contexts

  /** `with X as y:` — what entering X does, and how to undo it on exit. */
  enterContext(cm: AV, expr: PyNode, env: Env): { value: AV; exit?: () => void } {
    if (isKind(cm, Kind.LIBINST) && cm.lib.includes('grad-mode')) {
      const mode = cm.lit as string;
      const prev = env.recording;
      if (mode === 'off') env.recording = { mode: prev.mode === 'inference' ? 'inference' : 'off', site: prev.mode === 'inference' ? prev.site : expr, why: prev.mode === 'inference' ? prev.why : `${this.text(expr)}` };
      else if (mode === 'inference') env.recording = { mode: 'inference', site: expr, why: this.text(expr) };
      else if (mode === 'on') env.recording = prev.mode === 'inference' ? prev : { mode: 'on', site: null, why: '' };
      else env.recording = { mode: 'unknown', site: expr, why: this.text(expr) };
      return { value: NONE };
    }
    const tf = this.tf.enterContext(cm, expr, env);
    if (tf) return tf;
    return { value: cm };
  }

  /**
   * `torch.set_grad_enabled(mode)` (or `torch._C._set_grad_enabled`) called as a statement: the grad mode changes
   * at once and stays so after the statement (no `with` block ends it). `v` is the call's value.
   */
  gradModeStatement(node: PyNode, v: AV, env: Env): void {
    if (!isKind(v, Kind.LIBINST) || !v.lib.includes('grad-mode') || v.site !== node.id) return;
    const fn = field(node, 'function');
    const q = fn ? this.I.model.qualifiedName(fn) : null;
    if (!q || TORCH_GRAD_MODES[q] !== 'set') return;
    this.enterContext(v, node, env);
  }

  /** A decorator's effect on the grad mode of the function it decorates. */
  decoratorRecording(d: AV, stmt: PyNode): Recording | null {
    const modeOf = (v: AV): string | null => {
      if (isKind(v, Kind.LIBINST) && v.lib.includes('grad-mode')) return v.lit as string;
      if (isKind(v, Kind.LIB)) {
        for (const q of v.lib) {
          const m = TORCH_GRAD_MODES[q];
          if (m && m !== 'set') return m;
        }
      }
      return null;
    };
    const mode = modeOf(d) ?? this.userDecoratorMode(d);
    if (!mode) return null;
    const site = stmt.children.find((c) => c.type === 'decorator') ?? stmt;
    if (mode === 'off') return { mode: 'off', site, why: this.text(site).replace(/^@/, '') };
    if (mode === 'inference') return { mode: 'inference', site, why: this.text(site).replace(/^@/, '') };
    if (mode === 'on') return { mode: 'on', site: null, why: '' };
    return null;
  }

  /**
   * The grad mode in which a decorator written in the file or the workspace (a function given the decorated function,
   * or what a decorator factory returned) runs the function it decorates: one that returns `torch.no_grad()(fn)` or
   * `torch.inference_mode()(fn)` (also `(torch.inference_mode if c else torch.no_grad)()(fn)`, YOLOv5's
   * `smart_inference_mode`), or a wrapper it returns whose every call of `fn` is inside `with torch.no_grad():`,
   * `with torch.inference_mode():` or `with torch.set_grad_enabled(False):`. When the modes differ (inference mode on
   * one path, `no_grad` on another) the result is 'off': recording is off either way, but only inference mode resists
   * `enable_grad()`; a choice made by the installed torch's version is inference mode (see `contextMode`). Null for
   * anything else (an unknown decorator changes nothing).
   */
  private userDecoratorMode(d: AV): 'off' | 'inference' | null {
    if (!isKind(d, Kind.FUNC) || d.fns.length === 0 || d.kind !== Kind.FUNC) return null;
    const modes = new Set<string>();
    for (const ref of d.fns) {
      const m = this.decoratorDefMode(ref.node);
      if (!m) return null;
      modes.add(m);
    }
    return modes.size === 1 && modes.has('inference') ? 'inference' : 'off';
  }

  private readonly decoratorModes = new Map<number, 'off' | 'inference' | null>();

  private decoratorDefMode(def: PyNode): 'off' | 'inference' | null {
    const known = this.decoratorModes.get(def.id);
    if (known !== undefined) return known;
    this.decoratorModes.set(def.id, null);
    const r = this.decoratorDefModeInner(def);
    this.decoratorModes.set(def.id, r);
    return r;
  }

  private decoratorDefModeInner(def: PyNode): 'off' | 'inference' | null {
    if (def.type !== 'function_definition') return null;
    const m = this.I.model;
    const params = field(def, 'parameters');
    const first = params ? namedChildren(params)[0] : undefined;
    if (!first || first.type !== 'identifier') return null;
    const p = m.textOf(first);
    if (p === 'self' || p === 'cls') return null;
    const body = field(def, 'body');
    if (!body) return null;
    // The statements of a function's own body (not of the functions and classes it defines).
    const own = (root: PyNode, visit: (n: PyNode) => void): void => {
      const stack = [...root.children];
      while (stack.length > 0) {
        const n = stack.pop()!;
        visit(n);
        if (n.type !== 'function_definition' && n.type !== 'lambda' && n.type !== 'class_definition' && n.type !== 'decorated_definition') stack.push(...n.children);
      }
    };
    /** The mode of a grad-mode expression `torch.no_grad()`, `torch.inference_mode()`, `torch.set_grad_enabled(False)`. */
    const contextMode = (e: PyNode): 'off' | 'inference' | null => {
      const c = unparen(e);
      if (c.type !== 'call') return null;
      let f = field(c, 'function');
      // `context = torch.inference_mode if torch_1_9 else torch.no_grad` and then `context()(fn)`: the one binding's value.
      if (f && unparen(f).type === 'identifier') {
        const reach = m.reachingBindings(unparen(f));
        const v = reach.length === 1 ? bindingValue(reach[0]) : null;
        if (v && unparen(v).type === 'conditional_expression') f = v;
      }
      const args = field(c, 'arguments');
      const argList = args ? namedChildren(args) : [];
      const targets = f && unparen(f).type === 'conditional_expression' ? namedChildren(unparen(f)).filter((_, i, a) => i === 0 || i === a.length - 1) : f ? [f] : [];
      if (targets.length === 0) return null;
      const modes = new Set<string>();
      for (const t of targets) {
        const q = m.qualifiedName(unparen(t));
        const mode = q ? TORCH_GRAD_MODES[q] : undefined;
        if (mode === 'off' || mode === 'inference') {
          if (mode === 'inference' && argList.length > 0) return null;
          if (mode === 'off' && argList.length > 0) return null;
          modes.add(mode);
        } else if (mode === 'set' && targets.length === 1 && argList.length === 1 && m.literalBool(argList[0]) === false) modes.add('off');
        else return null;
      }
      // A choice between inference mode and `no_grad` by the installed torch's version picks inference mode on every
      // torch that has it (1.9 and later): YOLOv5's `smart_inference_mode(torch_1_9=check_version(torch.__version__,
      // '1.9.0'))`. `enable_grad()` does not switch recording back on there.
      if (modes.size === 2 && targets.length === 2 && torchVersionTest(namedChildren(unparen(f!))[1])) return 'inference';
      return modes.size === 1 && modes.has('inference') ? 'inference' : 'off';
    };
    /**
     * Whether a condition tests the installed torch's version: it reads `torch.__version__` or asks
     * `hasattr(torch, 'inference_mode')`, itself or through a name bound to such a test (a parameter's default, an
     * assignment of the file).
     */
    const versionText = (t: string): boolean => /\b__version__\b|hasattr\(\s*torch\s*,\s*['"]inference_mode['"]\s*\)/.test(t);
    const torchVersionTest = (cond: PyNode | undefined): boolean => {
      if (!cond) return false;
      const c = unparen(cond);
      if (versionText(m.textOf(c))) return true;
      if (c.type !== 'identifier') return false;
      const name = m.textOf(c);
      for (const b of m.reachingBindings(c)) {
        const v = bindingValue(b);
        if (v && versionText(m.textOf(v))) return true;
      }
      // A parameter of an enclosing function whose default tests the version.
      for (let a: PyNode | null = c.parent; a; a = a.parent) {
        if (a.type !== 'function_definition') continue;
        const ps = field(a, 'parameters');
        for (const p of ps ? namedChildren(ps) : []) {
          if (p.type !== 'default_parameter' && p.type !== 'typed_default_parameter') continue;
          const pn = field(p, 'name');
          const pv = field(p, 'value');
          if (pn && pv && m.textOf(pn) === name) return versionText(m.textOf(pv));
        }
      }
      return false;
    };
    const modes = new Set<string>();
    let returns = 0;
    let unsure = false;
    own(body, (n) => {
      if (n.type !== 'return_statement' || unsure) return;
      returns++;
      const e0 = namedChildren(n)[0];
      const e = e0 ? unparen(e0) : null;
      if (!e) {
        unsure = true;
        return;
      }
      // `return torch.no_grad()(fn)`
      if (e.type === 'call') {
        const a = field(e, 'arguments');
        const args = a ? namedChildren(a) : [];
        const f = field(e, 'function');
        const mode = f && args.length === 1 && args[0].type === 'identifier' && m.textOf(args[0]) === p ? contextMode(f) : null;
        if (mode) modes.add(mode);
        else unsure = true;
        return;
      }
      // `return wrapper`, a function defined here that calls `fn` only where recording is off.
      if (e.type === 'identifier') {
        const name = m.textOf(e);
        let wrapper: PyNode | null = null;
        for (const s of body.children) {
          const w = s.type === 'decorated_definition' ? field(s, 'definition') : s;
          if (w?.type === 'function_definition' && m.textOf(field(w, 'name') ?? w) === name) wrapper = w;
        }
        const wbody = wrapper ? field(wrapper, 'body') : null;
        if (!wbody) {
          unsure = true;
          return;
        }
        let calls = 0;
        own(wbody, (c) => {
          if (unsure || c.type !== 'call') return;
          const f = field(c, 'function');
          if (!f || f.type !== 'identifier' || m.textOf(f) !== p) return;
          calls++;
          let mode: 'off' | 'inference' | null = null;
          for (let a: PyNode | null = c.parent; a && a !== wbody && !mode; a = a.parent) {
            if (a.type !== 'with_statement') continue;
            const items: PyNode[] = [];
            const clause = a.children.find((x) => x.type === 'with_clause');
            for (const it of clause ? namedChildren(clause) : []) if (it.type === 'with_item') items.push(field(it, 'value') ?? it);
            for (const it of items) mode = contextMode(it) ?? mode;
          }
          if (mode) modes.add(mode);
          else unsure = true;
        });
        if (calls === 0) unsure = true;
        return;
      }
      unsure = true;
    });
    if (unsure || returns === 0 || modes.size === 0) return null;
    return modes.size === 1 && modes.has('inference') ? 'inference' : 'off';
  }

  /** A decorator applied to a function value (`@jax.jit`, `@torch.no_grad()`, `@functools.wraps`, `@tf.function`). */
  decorate(d: AV, fn: AV, stmt: PyNode): AV {
    void stmt;
    if (isKind(d, Kind.LIB) && d.lib.some((q) => /^(?:jax\.(?:jit|vmap|grad|value_and_grad|jacfwd|jacrev|hessian)|torch\.func\.\w+)$/.test(q))) {
      const q = d.lib[0];
      if (/jit$/.test(q)) return fn;
      return av({ kind: Kind.LIBINST, lib: [`transform:${q}`], elem: fn, site: fn.site, obj: fn.site });
    }
    if (isKind(d, Kind.LIB) && d.lib.some((q) => TF_CUSTOM_GRADIENT.has(q))) return this.tf.customGradient(fn);
    // `@torch.compile` (and `@torch.compile(...)`, whose call already returned the wrapper's maker).
    if (isKind(d, Kind.LIB) && d.lib.some((q) => TORCH_COMPILE.has(q))) return this.compiled(fn, undefined, stmt);
    if (isKind(d, Kind.LIBINST) && d.lib.includes('torch.compile') && d.elem === UNKNOWN) return this.compiled(fn, d.lit === 'eager' ? av({ kind: Kind.STRING, lit: 'eager' }) : undefined, stmt);
    return fn;
  }

  /** The `@torch.compile` decorator of a method (not `backend="eager"`), whose node stands for it; null when none. */
  compiledDefinition(def: PyNode): number | null {
    const p = def.parent;
    if (!p || p.type !== 'decorated_definition') return null;
    for (const d of p.children) {
      if (d.type !== 'decorator') continue;
      const e = namedChildren(d)[0];
      if (!e) continue;
      const target = e.type === 'call' ? field(e, 'function') : e;
      const q = target ? this.I.model.qualifiedName(target) : null;
      if (!q || !TORCH_COMPILE.has(q)) continue;
      if (e.type === 'call' && /backend\s*=\s*['"]eager['"]/.test(this.text(e))) continue;
      return (target ?? e).id;
    }
    return null;
  }

  /**
   * `torch.compile(f)`: calls go to `f`, and their results go through a compiled backward that AOTAutograd cannot
   * differentiate again (TORCH_COMPILE), except with `backend="eager"`. The site names the compile call.
   */
  private compiled(target: AV, backend: AV | undefined, node: PyNode): AV {
    const eager = backend?.lit === 'eager';
    return av({ kind: Kind.LIBINST, lib: ['torch.compile'], elem: target, site: node.id, obj: node.id, lit: eager ? 'eager' : undefined });
  }

  /** After a function was analysed: a training hook's returned loss is trained. */
  afterFunction(def: PyNode, frame: Frame, result: AV, entry: boolean): void {
    const nameNode = field(def, 'name');
    if (!nameNode) return;
    const name = this.text(nameNode);
    if (frame.cls && TRAINING_HOOKS.has(name) && this.I.libBasesOf(frame.cls).some((q) => LIGHTNING_BASES.has(q))) {
      // A dict returned from the hook: Lightning backpropagates its "loss" entry (the others are logged).
      // A dict whose keys are not known (a comprehension over another dict): its values joined, the loss among them.
      const loss = isKind(result, Kind.DICT) && !isKind(result, Kind.UNKNOWN) ? (result.keys ? result.keys.get('loss') : (result.elem ?? undefined)) : undefined;
      this.sink('training-hook', loss ?? result, nameNode, `the loss returned by \`${name}\` (Lightning trains it)`, frame);
    }
    this.tf.afterFunction(def, entry);
  }

  /** After the entry points were analysed: what the frameworks call later (Keras losses). */
  afterEntries(env: Env, frame: Frame): void {
    this.tf.afterEntries(env, frame);
    this.jax.afterEntries(env, frame);
  }
}

// ------------------------------------------------------------------------------------ helpers

/** `isinstance(v, torch.Tensor)` / `torch.is_tensor(v)`: true or false when the value's kind is certain. */
function tensorCheck(v: AV, kind: number): AV {
  if (v.kind !== 0 && (v.kind & ~kind) === 0) return av({ kind: Kind.BOOL, lit: true });
  if (v.kind !== 0 && (v.kind & (kind | Kind.UNKNOWN)) === 0) return av({ kind: Kind.BOOL, lit: false });
  return BOOL;
}

/** Names read in an expression (for "does the condition guard this operation's input"). */
/** Operations whose value is a logarithm, -inf at 0 (or at a logit of -inf). */
const LOG_VALUED = /^(?:log|log2|log10|log_softmax|log_sigmoid|logsigmoid)$/;

/** Tests for infinite or NaN entries (`torch.isinf`, `x.isnan()`, `jnp.isfinite`, `tf.math.is_nan`). */
const NON_FINITE_TESTS = /^(?:isinf|isnan|isfinite|isposinf|isneginf|is_inf|is_nan|is_finite)$/;

/**
 * The identifiers of an expression that name values: not attribute names, not imported modules or functions, not
 * the file's functions and classes, not names bound nowhere in the file, not `self`/`cls` (they would connect any
 * two expressions of a method).
 */
function valueIdentifiers(n: PyNode, lib: LibrarySemantics): PyNode[] {
  const out: PyNode[] = [];
  const stack = [n];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.type === 'identifier' && x.field !== 'attribute') {
      const name = lib.text(x);
      const bs = lib.I.model.isUse(x) ? lib.I.model.reachingBindings(x) : [];
      // Names bound nowhere in the file (globals of an unquoted import, builtins) say nothing about a value either.
      if (name !== 'self' && name !== 'cls' && bs.length > 0 && !bs.some((b) => b.kind === 'import' || b.kind === 'def' || b.kind === 'class')) out.push(x);
    }
    for (const c of x.children) stack.push(c);
  }
  return out;
}

/** Calls that guard a value's range (the last name component). */
const GUARD_CALLS = /^(?:where|clamp|clamp_min|clip|clip_by_value|maximum|fmax|minimum|fmin|nan_to_num|masked_fill|safe_norm)$/;

/** A boolean mask expression: a comparison, `not`/`~`, or `&`/`|`/`^` (of comparisons). */
function isMaskExpr(v: PyNode, lib: LibrarySemantics): boolean {
  const n = unparen(v);
  if (n.type === 'comparison_operator' || n.type === 'not_operator' || n.type === 'boolean_operator') return true;
  if (n.type === 'unary_operator' || n.type === 'binary_operator') {
    const op = field(n, 'operator');
    return !!op && /^[~&|^]$/.test(lib.text(op));
  }
  return false;
}

function identifiersIn(n: PyNode, lib: LibrarySemantics): Set<string> {
  const out = new Set<string>();
  const stack = [n];
  while (stack.length > 0) {
    const x = stack.pop()!;
    // Not a module or a library name (`torch` of `torch.eye(n)` and of `torch.cdist(x, x)` is not a shared value).
    if (x.type === 'identifier' && x.field !== 'attribute' && !lib.m.qualifiedName(x)) out.add(lib.text(x));
    for (const c of x.children) stack.push(c);
  }
  return out;
}

function mergeModelCall(o: unknown, e: unknown): void {
  const a = o as { result: AV; callee: AV };
  const b = e as { result: AV; callee: AV };
  a.result = join(a.result, b.result);
  a.callee = join(a.callee, b.callee);
}

/** Whether autograd may track the value (leaves, parameters, or not visible). */
function requiresGradish(t: TensorFacts): boolean {
  return t.leaves.length > 0 || t.params.length > 0 || t.leafOf !== null || t.opaque;
}

/**
 * Whether the code shows that a value requires grad (a leaf, parameters of a model in view), not only that an unseen caller
 * or a call of unseen code may make it so.
 */
/** The names of tensor factories (`zeros`, `randn_like`, `full`, ...), as a helper wrapping one is usually named. */
const TENSOR_FACTORY_NAME = /^(?:zeros|ones|empty|full|rand|randn|randint|normal|tensor|as_tensor|from_numpy|arange|linspace|eye)(?:_like)?$/;

function visiblyRequiresGrad(t: TensorFacts): boolean {
  return t.leaves.length > 0 || t.leafOf !== null || t.mayLeaf.length > 0 || (t.params.length > 0 && !t.opaque);
}

/** Whether a value depends on a requires-grad input (a leaf), or may (opaque). */
/** How `whereMasked` reads a selection (see there). */
interface WhereOptions {
  /** A mask product: only a condition that says the operation is at its singular point counts. */
  strong?: boolean;
  /** The branches' expressions, in the order of the branches' values. */
  branchNodes?: readonly (PyNode | null | undefined)[];
  /** A mask product blended with a complementary one (`m * a + (1 - m) * b`). */
  blended?: boolean;
}

/** A loss's facts beyond its arguments': curvature, unless it is piecewise linear (`l1_loss`, `nll_loss`). */
function curvedLoss(q: string, parts: readonly AV[], node: PyNode): { curved?: IdSet } {
  if (PIECEWISE_LINEAR_LOSSES.has(q)) return {};
  const base = combineTensors(parts.map((p) => p.t));
  return dependsOnInput(base) ? { curved: union(base.curved, [node.id]) } : {};
}

export function dependsOnInput(t: TensorFacts): boolean {
  return t.leaves.length > 0 || t.leafOf !== null || t.opaque;
}

export function canonical(q: string): string {
  // `torch.cuda.FloatTensor(...)` makes a tensor like `torch.FloatTensor(...)` (on the GPU).
  if (/^torch\.cuda\.[A-Z]\w*Tensor$/.test(q)) return `torch.${q.slice(11)}`;
  if (q.startsWith('keras.')) return `tensorflow.${q}`;
  if (q.startsWith('tf_keras.')) return `tensorflow.keras.${q.slice(9)}`;
  if (q.startsWith('functorch.')) return `torch.func.${q.slice(10)}`;
  if (q === 'torch.vmap') return 'torch.func.vmap';
  // `torch.nn.utils._stateless.functional_call` (1.12), `torch.nn.utils.stateless.functional_call` (1.13).
  if (q === 'torch.nn.utils._stateless.functional_call' || q === 'torch.nn.utils.stateless.functional_call') return 'torch.func.functional_call';
  if (q.startsWith('torch.autograd.grad_mode.')) return `torch.${q.slice(25)}`;
  if (q.startsWith('pytorch_lightning.')) return q;
  return q;
}

/** The tensor facts of a value or of everything in it (a tuple of outputs). */
export function tensorOfValue(v: AV): TensorFacts {
  if (v.t && !isKind(v, Kind.SEQ)) return v.t;
  const parts: (TensorFacts | null)[] = [v.t];
  if (v.items) for (const i of v.items) parts.push(tensorOfValue(i));
  else if (v.elem) parts.push(tensorOfValue(v.elem));
  if (parts.every((p) => !p)) return tensorFacts({ opaque: isKind(v, Kind.UNKNOWN) });
  const c = combineTensors(parts);
  const dims = v.t?.dims ?? (v.items && v.items.length === 1 ? (v.items[0].t?.dims ?? null) : null);
  return tensorFacts({ ...c, leafOf: v.t?.leafOf ?? null, dims, gradOf: v.t?.gradOf ?? null });
}

/**
 * Weights, as the inputs of a derivative: parameters (`model.parameters()`), or fast weights made from them by a
 * derivative step (parameters and a derivative, nothing of a model's output or of a leaf of data).
 */
function weightsLike(v: AV, depth: number): boolean {
  return someTensorWithin(v, (t) => t.variable || (t.params.length > 0 && t.hist.length === 0 && t.leaves.length === 0 && t.leafOf === null && !t.opaque && t.dGraph.length + t.dNoGraph.length > 0), depth);
}

/**
 * Whether `pred` holds of the value's tensor facts or of those of an item or element within two levels of containers
 * (a list of fast weights, a dict of parameter lists): the one walk behind "are these weights" questions.
 */
export function someTensorWithin(v: AV, pred: (t: TensorFacts) => boolean, depth = 0): boolean {
  if (v.t && pred(v.t)) return true;
  if (depth > 2) return false;
  return (v.items ?? []).some((x) => someTensorWithin(x, pred, depth + 1)) || (v.elem ? someTensorWithin(v.elem, pred, depth + 1) : false);
}

function containsParameters(v: AV): boolean {
  if (v.t?.variable) return true;
  if (v.items) return v.items.some(containsParameters);
  if (v.elem) return containsParameters(v.elem);
  return false;
}

function asList(v: AV): AV[] {
  if (v.items) return [...v.items];
  if (v.elem) return [v.elem];
  return [v];
}

function floatOf(parts: readonly AV[]): TensorFacts['dtype'] {
  let sawInt = false;
  for (const p of parts) {
    const d = p.t?.dtype;
    if (d === 'float' || p.site === -2) return 'float';
    if (d === 'int' || d === 'bool') sawInt = true;
  }
  return sawInt ? null : 'float';
}

/** Sizes given one per argument (`torch.rand(B, 3, 32, 32)`, `x.view(B, -1)`); unknown sizes are null. */
/**
 * The shape of `torch.cat(items, dim)` / `torch.stack(items, dim)` when every item's shape is visible and of one rank
 * and `dim` is a literal (absent: 0): `cat` adds the sizes along `dim` (null when one is not visible), `stack` inserts an
 * axis of `len(items)` at `dim`; the other axes are the first item's. `undefined` when that cannot be told (items of
 * unknown number or shape, a computed `dim`): the caller keeps its rank-only estimate.
 */
function joinedDims(stack: boolean, items: readonly AV[] | null, dimArg: AV | undefined): Dims | undefined {
  if (!items || items.length === 0) return undefined;
  const all = items.map((x) => x.t?.dims ?? null);
  const first = all[0];
  if (!first || all.some((d) => d === null || d.length !== first.length)) return undefined;
  const d = dimArg === undefined ? 0 : dimArg.lit;
  if (typeof d !== 'number' || !Number.isInteger(d)) return undefined;
  const rank = stack ? first.length + 1 : first.length;
  const k = d < 0 ? rank + d : d;
  if (k < 0 || k >= rank) return undefined;
  if (stack) return [...first.slice(0, k), items.length, ...first.slice(k)];
  const sizes = all.map((x) => x![k]);
  const along = sizes.every((n) => typeof n === 'number') ? (sizes as number[]).reduce((a, b) => a + b, 0) : null;
  return first.map((n, i) => (i === k ? along : n));
}

function literalDims(pos: readonly AV[]): Dims {
  if (pos.length === 0) return null;
  if (pos.every((p) => typeof p.lit === 'number')) return pos.map((p) => p.lit as number);
  if (pos.length === 1 && pos[0].items) return shapeArg(pos[0]);
  // Several scalar arguments, some not visible (`BATCH_SIZE`): the rank is known. One unknown argument may be a shape tuple.
  if (pos.length >= 2 && pos.every((p) => !p.t && !p.items && (isKind(p, Kind.NUMBER) || isKind(p, Kind.UNKNOWN)))) return pos.map((p) => (typeof p.lit === 'number' ? p.lit : null));
  return null;
}

/** The shape after inserting an axis of size 1 at `d` (`unsqueeze`, `expand_dims`); unknown for an axis not visible. */
export function unsqueezedDims(dims: Dims, d: unknown): Dims {
  if (!dims || typeof d !== 'number' || !Number.isInteger(d)) return null;
  const k = d < 0 ? dims.length + d + 1 : d;
  if (k < 0 || k > dims.length) return null;
  const out = [...dims];
  out.splice(k, 0, 1);
  return out;
}

/**
 * The sizes of a reshape (`x.view(-1, 1)`): a -1 is the size left over, visible when every size of the receiver and
 * every other new size is; otherwise unknown.
 */
export function inferredSize(own: Dims, sizes: Dims): Dims {
  if (!sizes) return null;
  const holes = sizes.filter((x) => x === -1).length;
  if (holes === 1 && own && own.every((x) => x !== null) && sizes.every((x) => x !== null && (x === -1 || x > 0))) {
    const total = (own as number[]).reduce((p, x) => p * x, 1);
    const rest = (sizes as number[]).filter((x) => x !== -1).reduce((p, x) => p * x, 1);
    if (rest > 0 && total % rest === 0) return sizes.map((x) => (x === -1 ? total / rest : x));
  }
  return sizes.map((x) => (x === -1 ? null : x));
}

export function shapeArg(v: AV | undefined): Dims {
  if (!v) return null;
  if (typeof v.lit === 'number') return [v.lit];
  if (v.items) return v.items.map((x) => (typeof x.lit === 'number' ? x.lit : null));
  return null;
}

/** Shape of a nested list literal (`[[1, 2], [3, 4]]` → [2, 2]). */
export function literalShape(v: AV | undefined): Dims {
  if (!v || !v.items || !isKind(v, Kind.SEQ)) return typeof v?.lit === 'number' ? [] : null;
  const inner = v.items.length > 0 ? literalShape(v.items[0]) : [];
  return inner === null ? [v.items.length, null] : [v.items.length, ...inner];
}

/** dtype of a literal passed to `torch.tensor`: all ints → int, any float → float, all bools → bool. */
function literalDtype(v: AV, lib: LibrarySemantics): TensorFacts['dtype'] {
  void lib;
  const leaves: AV[] = [];
  const go = (x: AV): void => {
    if (x.items) x.items.forEach(go);
    else leaves.push(x);
  };
  go(v);
  if (leaves.length === 0) return null;
  if (leaves.some((x) => x.site === -2)) return 'float';
  if (leaves.every((x) => typeof x.lit === 'boolean')) return 'bool';
  if (leaves.every((x) => typeof x.lit === 'number')) return 'int';
  return null;
}

/**
 * The shape of a product that changes the shape even of one tensor with itself, which the elementwise default would
 * give x's shape: `torch.outer(x, x)` is n x n, `torch.dot(x, x)` a scalar, `torch.cdist(a, b)` of (..., P, M) and
 * (..., R, M) is (..., P, R); other products and rearrangements unknown. Undefined for other functions.
 */
function productDims(q: string, a: Dims, b: Dims): Dims | undefined {
  if (q === 'torch.outer' || q === 'torch.ger') return a && b && a.length === 1 && b.length === 1 ? [a[0], b[0]] : null;
  if (q === 'torch.dot' || q === 'torch.vdot' || q === 'torch.trace') return [];
  if (q === 'torch.cdist') return a && b && a.length >= 2 && b.length === a.length ? [...a.slice(0, -1), b[b.length - 2]] : a && a.length >= 2 ? [...a.slice(0, -1), null] : null;
  return SHAPE_CHANGING_PRODUCTS.has(q) ? null : undefined;
}

/** Products and rearrangements whose shape is not an argument's (left unknown): `einsum`, `kron`, `diag`, ... */
const SHAPE_CHANGING_PRODUCTS = new Set([
  'torch.einsum', 'torch.kron', 'torch.tensordot', 'torch.inner', 'torch.diag', 'torch.diagonal', 'torch.diag_embed',
  'torch.cartesian_prod', 'torch.block_diag', 'torch.cross', 'torch.linalg.cross', 'torch.mv', 'torch.addmm',
]);

/**
 * The shape of an elementwise operation. With one side unknown, the known side's rank is kept with
 * unknown sizes: operands of one expression are nearly always built to the same rank (a `(B, 1, 1, 1)`
 * weight times a `(B, C, H, W)` batch), and rules only read ranks and sizes they can see.
 */
function broadcast(a: Dims, b: Dims): Dims {
  if (a === null && b === null) return null;
  if (a === null) return b!.length === 0 ? null : b!.map(() => null);
  if (b === null) return a.length === 0 ? null : a.map(() => null);
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const n = Math.max(a.length, b.length);
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : y === 1 ? x : x === y ? x : x === null || y === null ? (x ?? y) : null);
  }
  return out;
}

function matmulDims(a: Dims, b: Dims): Dims {
  if (!a || !b || a.length < 1 || b.length < 1) return null;
  if (a.length === 2 && b.length === 2) return [a[0], b[1]];
  if (a.length === 2 && b.length === 1) return [a[0]];
  return null;
}

/** The shape after indexing: integers drop a dimension, slices keep it, `None` adds one. */
function indexDims(dims: Dims, subs: PyNode[], idx: AV[], text: (n: PyNode) => string): Dims {
  if (!dims) return null;
  const items: { kind: 'int' | 'slice' | 'none' | 'ellipsis' | 'other'; node: PyNode; v: AV }[] = [];
  subs.forEach((s, i) => {
    const v = idx[i];
    const kind = s.type === 'slice' ? 'slice' : s.type === 'none' ? 'none' : s.type === 'ellipsis' ? 'ellipsis' : s.type === 'integer' || (s.type === 'unary_operator' && typeof v.lit === 'number') ? 'int' : isKind(v, Kind.NUMBER) && !v.t ? 'int' : 'other';
    items.push({ kind, node: s, v });
  });
  if (items.some((x) => x.kind === 'other' || x.kind === 'ellipsis')) return null;
  const out: (number | null)[] = [];
  let d = 0;
  for (const it of items) {
    if (it.kind === 'none') out.push(1);
    else if (it.kind === 'int') d++;
    else {
      // a slice: `:` keeps the size, `a:b` with literals gives b - a
      const parts = namedChildren(it.node);
      if (parts.length === 0) out.push(dims[d] ?? null);
      else {
        const m = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*$/.exec(text(it.node));
        const a = m && m[1] !== undefined ? Number(m[1]) : 0;
        const b = m && m[2] !== undefined ? Number(m[2]) : null;
        out.push(m && b !== null && a >= 0 && b >= 0 ? Math.max(0, b - a) : null);
      }
      d++;
    }
  }
  for (; d < dims.length; d++) out.push(dims[d]);
  return out;
}

/**
 * `copy.deepcopy(v)`: a model's copy has parameters of its own (this site), which an optimizer over the
 * original's does not step, and no graph (PyTorch refuses to deep-copy a tensor that is not a leaf). learn2learn's
 * ProMP keeps `deepcopy(clone)` policies across the steps of an optimizer over `meta_learner.parameters()`.
 */
function deepCopied(v: AV, site: number): AV {
  const t = v.t ? tensorFacts({ ...v.t, params: v.t.params.length > 0 ? [site] : NO_IDS, hist: NO_IDS, freed: NO_IDS, stale: NO_IDS }) : v.t;
  const mod = v.mod && v.mod.params.length > 0 ? { ...v.mod, params: [site] } : v.mod;
  const items = v.items ? v.items.map((x) => deepCopied(x, site)) : v.items;
  const elem = v.elem ? deepCopied(v.elem, site) : v.elem;
  // A new object: made here (a model of unknown class copied is told from the original by this site).
  return av({ ...v, t, mod, items, elem, site: v.site >= 0 ? site : v.site });
}

/** A batch as a DataLoader yields it: the element's facts without the graphs of earlier iterations. */
function freshBatch(v: AV): AV {
  const t = v.t && (v.t.hist.length > 0 || v.t.freed.length > 0 || v.t.stale.length > 0) ? tensorFacts({ ...v.t, hist: NO_IDS, freed: NO_IDS, stale: NO_IDS }) : v.t;
  const items = v.items ? v.items.map(freshBatch) : v.items;
  const elem = v.elem ? freshBatch(v.elem) : v.elem;
  if (t === v.t && elem === v.elem && (items === v.items || items?.every((x, i) => x === v.items?.[i]))) return v;
  return av({ ...v, t, items, elem });
}

/**
 * A class name as PEP 8 writes it: CapWords (`Taskset`, `LinearValue`) or an acronym of three capitals or
 * more (`MAML`, `MNIST`). Not a single capital or one with underscores (`G`, `D_A`, `G_AB`: models).
 */
const CONSTRUCTOR_NAME = /^(?:_?[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*|[A-Z]{3,}[0-9]*)$/;

/**
 * A name that may hold a model or run one: a single capital or one with underscores (`G`, `D_A`), or a word
 * models are named by (`model`, `netG`, `generator`, `predict`, `forward_fn`, `policy`).
 */
/**
 * Helpers named for building things (`build_model_tabular(args, ...)`, `create_regularization_fns(args)`,
 * `make_env(...)`, `init_weights(m)`) or for searching (`optimize_acqf(acq, bounds, ...)`, `minimize(...)`): what they
 * return is an object made once (a model, functions, coefficients) or a point found (candidates, a solution), not the
 * output of a model's forward, so the call records no graph of its own (AGL019).
 */
const FACTORY_NAME = /^_?(?:build|create|construct|make|init|initiali[sz]e|setup|set_up|instantiate|load|optimi[sz]e|minimi[sz]e|maximi[sz]e)(?:_|$)/;

/**
 * Methods named like torch's random and constant factories (`irreps.randn(batch, -1)` of e3nn, `space.zeros(n)`):
 * they make fresh data, with no parameters and no graph of their own (AGL019: no graph for a backward to free).
 */
/** The name of a variable holding a class (`cls`, `optimizer_cls`, `step_class`, `klass`). */
const CLASS_HELD_NAME = /^(?:cls|klass)$|_(?:cls|class|klass)$/;
const DATA_MAKER_NAME = /^(?:randn|rand|randint|randperm|zeros|ones|empty|full|eye|arange|linspace)(?:_like)?$/;

/**
 * A module chosen by configuration from a dict of alternatives (`{"batch": nn.BatchNorm1d(d), "layer": nn.LayerNorm(d)}
 * .get(name)` in CHGNet's `find_normalization`), with a key the code does not show: any one of them. Batch coupling
 * (AGL011) is kept only when every alternative couples; what the others carry (parameters, activations) is joined as
 * usual. Null when the dict holds no modules or its keys are not known.
 */
function chosenModule(d: AV): AV | null {
  if (!d.keys || d.keys.size < 2) return null;
  const values = [...d.keys.values()];
  if (!values.some((v) => v.mod && v.mod.coupled.length > 0)) return null;
  let out = BOTTOM;
  for (const v of values) out = join(out, v);
  if (values.every((v) => v.mod && v.mod.coupled.length > 0) || !out.mod) return out;
  return av({ ...out, mod: { ...out.mod, coupled: NO_IDS } });
}

/** The library name of a class that `collections.namedtuple(...)` made (its fields are the value's `items`). */
const NAMEDTUPLE_CLASS = 'namedtuple:class';
/** The class of a value, `type(v)`, as a callee. */
const TYPE_OF = 'type:of';

/** `x.new_ones(size)` makes what `torch.ones(size)` makes (in `x`'s dtype and device). */
const NEW_TENSOR_FACTORY: Readonly<Record<string, string>> = {
  new_ones: 'torch.ones',
  new_zeros: 'torch.zeros',
  new_empty: 'torch.empty',
  new_full: 'torch.full',
  new_tensor: 'torch.tensor',
};


const MODEL_LIKE_NAME = /^(?:[A-Z][A-Z0-9]?(?:_\w+)?|\w*(?:[Mm]odel|[Nn]et|[Gg]enerator|[Dd]iscriminator|[Cc]ritic|[Ee]ncoder|[Dd]ecoder|[Cc]lassifier|[Pp]redict|[Ff]orward|[Pp]olicy|[Aa]ctor|[Ll]earner|[Mm]odule|[Ll]ayer|[Ff]unc|fn)\w*|f|fun)$/;

/** Python's `items[a:b:c]` for a slice written with literal integers (`:-1`, `1:`, `::2`), or null. */
function sliceItems(items: readonly AV[], text: string): AV[] | null {
  const m = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/.exec(text);
  if (!m) return null;
  const n = items.length;
  const step = m[3] !== undefined ? Number(m[3]) : 1;
  if (step <= 0) return null;
  const norm = (v: string | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    const k = Number(v);
    return Math.min(Math.max(k < 0 ? n + k : k, 0), n);
  };
  const out: AV[] = [];
  for (let k = norm(m[1], 0); k < norm(m[2], n); k += step) out.push(items[k]);
  return out;
}

/** `r` marked as going through an operation whose backward cannot be differentiated again (at `site`). */
/** The library-instance tag of a custom autograd Function's `apply` taken as a value (`f = Fn.apply`). */
const FUNCTION_APPLY = 'autograd-function-apply';

function withNoDouble(r: AV, site: number): AV {
  return r.t ? av({ ...r, t: tensorFacts({ ...r.t, noDouble: union(r.t.noDouble, [site]) }) }) : r;
}

/**
 * The facts a container gets from a layer whose own facts it does not hold: a module class of the file (`Sine()`,
 * `ResBlock(...)`) or a value the analysis does not know (`get_activation(cfg)`). It has weights, and its shape is not
 * known: it counts as curved, so that a ReLU beside it does not make the container piecewise linear when the
 * container's call cannot run its layers in turn (their order unknown: an `OrderedDict`, `add_module`, a list built in
 * a loop). A container whose layers are known in order runs them instead, and this does not matter.
 */
function unseenLayer(c: AV, fallback: number): ModuleFacts {
  const site = c.site >= 0 ? c.site : fallback;
  return { ...EMPTY_MODULE, params: [site], curved: [site] };
}

/** The layer facts of a module made only of library layers (`nn.Linear`, a `Sequential` of them), else null. */
function libraryLayers(v: AV): ModuleFacts | null {
  if (!isKind(v, Kind.LIBINST) || !v.mod || !v.lib.every((q) => q.startsWith('torch.nn.') || torchvisionModel(q) !== null)) return null;
  if (v.lib.some((q) => MODULE_CONTAINERS.has(q))) {
    if (!v.items) return null;
    let mod: ModuleFacts = EMPTY_MODULE;
    for (const c of v.items) {
      const m = libraryLayers(c);
      if (!m) return null;
      mod = joinModule(mod, m)!;
    }
    return mod;
  }
  return v.mod;
}

/**
 * The shape of `x.flatten(start_dim, end_dim)` / `torch.flatten(x, start_dim, end_dim)` (defaults 0 and -1): the axes
 * from start to end joined into one. With `x`'s rank unknown the rank of the result is unknown too, unless everything
 * is flattened (one axis); an axis that is not a literal integer gives an unknown shape.
 */
function flattenedDims(dims: Dims, startArg: AV | undefined, endArg: AV | undefined): Dims {
  const start = startArg === undefined ? 0 : startArg.lit;
  const end = endArg === undefined ? -1 : endArg.lit;
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end)) return null;
  const product = (xs: Dims): number | null => (xs ? xs.reduce<number | null>((a, b) => (a !== null && b !== null ? a * b : null), 1) : null);
  if (dims === null) return start === 0 && end === -1 ? [null] : null;
  if (dims.length === 0) return [1];
  const s = start < 0 ? dims.length + start : start;
  const e = end < 0 ? dims.length + end : end;
  if (s < 0 || e >= dims.length || s > e) return null;
  return [...dims.slice(0, s), product(dims.slice(s, e + 1)), ...dims.slice(e + 1)];
}

/**
 * The shape of `torch.sum(x, dim=k)` (and the other single-axis reductions above) when `x`'s shape and a literal
 * integer axis are known; null otherwise (several axes, `torch.max(x, dim)`'s pair of values and indices).
 */
function reducedDims(q: string, x: AV, args: Args): Dims {
  const t = x.t;
  if (!TORCH_AXIS_REDUCTIONS.has(q) || !t?.dims) return null;
  const d = (args.kw.get('dim') ?? args.kw.get('axis') ?? args.pos[1])?.lit;
  if (typeof d !== 'number' || !Number.isInteger(d) || d >= t.dims.length || d < -t.dims.length) return null;
  const keep = args.kw.get('keepdim')?.lit === true || args.pos[2]?.lit === true;
  const k = d < 0 ? t.dims.length + d : d;
  return keep ? t.dims.map((n, i) => (i === k ? 1 : n)) : t.dims.filter((_, i) => i !== k);
}

/**
 * The device a tensor move names, as a key two moves can be compared by: `'cuda'` (`.cuda()`, `.cuda(0)` as `'cuda:0'`),
 * `'cpu'`, or the text of `.to(x)`'s one argument when it is no dtype (`.to(device)`, `.to('cuda')`). Null for anything
 * else (a dtype cast, `.to(device, dtype)`, keywords).
 */
function deviceOfMove(name: string, pos: readonly string[], keywords: number): string | null {
  if (keywords > 0) return null;
  if (name === 'cuda') return pos.length === 0 ? 'cuda' : pos.length === 1 ? `cuda:${pos[0]}` : null;
  if (name === 'cpu') return pos.length === 0 ? 'cpu' : null;
  if (name !== 'to' || pos.length !== 1) return null;
  const a = pos[0].replace(/\s+/g, '');
  if (namedDtype(a) !== undefined) return null;
  return a === "'cuda'" || a === '"cuda"' ? 'cuda' : a === "'cpu'" || a === '"cpu"' ? 'cpu' : a;
}

/** A view (`torch.diagonal(R)`, `y.t()`) of a tensor saved for backward: changing it in place changes the saved tensor. */
function keepSavesOfView(r: AV, base: AV | undefined): AV {
  const saved = base?.t?.saved;
  if (!saved || saved.length === 0 || !r.t || !isKind(base!, Kind.TENSOR)) return r;
  return av({ ...r, t: tensorFacts({ ...r.t, saved: union(r.t.saved, saved) }) });
}
