/**
 * The autograd analysis: an abstract interpreter over one Python file (see docs/lint-engine.md).
 *
 * It runs the module's statements in order, with abstract values (`values.ts`) instead of run-time
 * ones, and follows the code where autograd's state travels: through assignments and unpacking, `if`
 * branches (joined), loops (iterated to a fixpoint, so a value made at the end of one iteration reaches
 * the next and a value killed earlier in the same iteration does not), `try`/`with` blocks, calls of the
 * file's functions and methods (analysed per calling context, memoized), classes (an instance's
 * attributes are what its methods assign to `self`, so `self.net` set in `__init__` is seen in
 * `forward`), closures, lambdas and decorators. Library calls are answered from the framework knowledge
 * in `../knowledge/` (`library.ts` applies it). Along the way it records events (`events.ts`) that the
 * rules read.
 *
 * Functions and methods that nothing in the file calls (a `forward`, a Lightning `training_step`, a helper
 * used from another file) are analysed afterwards with unknown arguments, so their bodies are seen too.
 *
 * Cost: each statement is analysed once per calling context and loop round; contexts per function and
 * loop rounds are capped, and the whole file has a work budget (`Analysis.incomplete` says when it ran
 * out). Deep expressions (a 2,000-term sum) are evaluated without recursion.
 */
import { canonicalName, CONVENTIONAL_ALIASES, type Binding, type CallInfo, type FunctionInfo, type SemanticModel } from '../semantic';
import { PYTHON_BUILTINS } from '../knowledge/python';
import { field, namedChildren, nodesOfType, unparen, walk, type PyNode } from '../tree';
import { CLEARED_GRAD, Env, RECORDING_ON, recordingOff, SELF_KEY_PREFIX, type GradBuffer } from './env';
import { PMap } from './pmap';
import { invariantlyBoundKeys } from './invariant';
import type { AnalysisEvents, DerivativeEvent, Recording } from './events';
import { LibrarySemantics } from './library';
import { segmentAt, submoduleName, type Appendix } from '../workspace';
import {
  av,
  BOOL,
  BOTTOM,
  combineTensors,
  contextKey,
  isKind,
  join,
  Kind,
  NONE,
  NO_IDS,
  NUMBER,
  seq,
  STRING,
  tensor,
  tensorFacts,
  UNKNOWN,
  type AV,
  type ClassRef,
  type FuncRef,
} from './values';
import { AUTOGRAD_FUNCTION_BASES, CRITIC_PARAM, isOptimizerBase, OPTIMIZER_CLOSURE, LIGHTNING_BASES, LIGHTNING_BATCH_INDEX_PARAMS, LIGHTNING_CALLBACK_BASES, LIGHTNING_EVAL_HOOKS, MODEL_PARAM, MODULE_BASES, TORCH_DERIVATIVES } from '../knowledge/torch';

export class BudgetExceeded extends Error {}

/** The locals of a class body the semantic model opened no scope for. */
const NO_LOCALS: ReadonlyMap<string, unknown> = new Map();
/** The value of a parameter of an entry point (no visible caller): unknown, and maybe a tensor with a graph. */
const OPAQUE_ARGUMENT = av({ kind: Kind.UNKNOWN, t: tensorFacts({ opaque: true }) });

/**
 * The part of a calling context that `.grad` buffers make: the leaves whose buffer may hold a backward's
 * gradient that nothing reset, on some path (a function that reads `.grad` after its own backward gives another answer
 * when its caller calls it again without zeroing in between).
 */
function gradsKey(env: Env): string {
  const filled: number[] = [];
  for (const [leaf, g] of env.grads) if (g.fills.length > 0) filled.push(leaf);
  return filled.length === 0 ? '' : filled.sort((a, b) => a - b).join(',');
}

/** One activation of a function (or the module) being analysed. */
/** Methods of modules and optimizers that tensors do not have. */
const MODULE_ONLY_METHODS = new Set(['parameters', 'named_parameters', 'modules', 'named_modules', 'children', 'named_children', 'buffers', 'named_buffers', 'state_dict', 'load_state_dict', 'train', 'eval', 'zero_grad', 'register_buffer', 'add_module']);

export interface Frame {
  fn: PyNode | null;
  /**
   * Names bound in this scope (Python's rule: assigned anywhere in the function → local): the scope's
   * bindings map itself, complete once the semantic model is built (a copy of its keys per call cost an
   * allocation per analysed call).
   */
  locals: ReadonlyMap<string, unknown>;
  /** The environment of the enclosing function for closures (null: the module). */
  outer: { env: Env; frame: Frame } | null;
  returns: AV;
  /** States at `break` / `continue`, per enclosing loop (innermost last). */
  loops: { breaks: Env[]; continues: Env[]; node: PyNode; withDepth?: number }[];
  /**
   * The grad modes saved by the enclosing `with` blocks of this function (outermost first): leaving them by `return`,
   * `break` or `continue` runs their `__exit__`, which restores the mode saved there.
   */
  withRecordings?: Recording[];
  cls: ClassRef | null;
  depth: number;
  /** `.grad` buffers at each `return` (a function's callers continue from their join with the end state). */
  exitGrads?: Env[];
}

export interface AnalysisOptions {
  /** Work budget in evaluation steps; default scales with the file's size. */
  budget?: number;
  /** Calling contexts analysed per function before they are merged. */
  maxContexts?: number;
  /** Maximum depth of nested calls followed. */
  maxDepth?: number;
  /**
   * The names calls use in the whole file, when the model is of a part of it (the per-group re-lint,
   * `incremental.ts`): which entry points go first depends on the calls of the whole file.
   */
  calledNames?: ReadonlySet<string>;
  /**
   * Definitions imported from other files of the workspace, appended after the linted text (`workspace.ts`):
   * `from models import Net` binds `Net` to what the appended module's function defines.
   */
  appendix?: Appendix;
}

/**
 * The value of each evaluated expression node, joined over calling contexts and loop rounds. `note` runs for
 * every evaluation of every expression and most nodes are never read, so the joins are deferred: a node's
 * later values wait in a list and are folded into its value, in the order they came, when it is first read.
 * That is the same sequence of `join` calls as joining at once (values are immutable), so every read returns
 * exactly what the eager map held; only joins nobody reads are skipped.
 */
export class NodeValues extends Map<number, AV> {
  private readonly later = new Map<number, AV[]>();

  /** Join `v` into the value of node `id` (deferred until it is read). */
  add(id: number, v: AV): void {
    const old = super.get(id);
    if (old === undefined) {
      super.set(id, v);
      return;
    }
    const list = this.later.get(id);
    if (list) list.push(v);
    else if (v !== old) this.later.set(id, [v]); // join(old, old) is old
  }

  override get(id: number): AV | undefined {
    const list = this.later.get(id);
    if (list) {
      let acc = super.get(id)!;
      for (const v of list) acc = join(acc, v);
      this.later.delete(id);
      super.set(id, acc);
      return acc;
    }
    return super.get(id);
  }

  override set(id: number, v: AV): this {
    this.later.delete(id);
    return super.set(id, v);
  }

  override delete(id: number): boolean {
    this.later.delete(id);
    return super.delete(id);
  }

  override clear(): void {
    this.later.clear();
    super.clear();
  }

  /** Fold every deferred join (before anything reads the map other than through `get`). */
  private settle(): void {
    for (const id of [...this.later.keys()]) this.get(id);
  }

  override forEach(cb: (value: AV, key: number, map: Map<number, AV>) => void, thisArg?: unknown): void {
    this.settle();
    super.forEach(cb, thisArg);
  }

  override entries(): MapIterator<[number, AV]> {
    this.settle();
    return super.entries();
  }

  override values(): MapIterator<AV> {
    this.settle();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[number, AV]> {
    return this.entries();
  }
}

export class Analysis {
  readonly events: AnalysisEvents = { frozenCalls: [], constantDerivatives: [], sampleDims: [], derivatives: [], sinks: [], backwards: [], leaves: [], gradReads: [], inplace: [], modelCalls: [], conversions: [], graphless: [], libraryDerivatives: [], needsGraph: [], optimizers: [], steps: [], wheres: [], norms: [], graphReuses: [], tapeReuses: [], kerasLosses: [] };
  /** The joined value of each evaluated expression node (by node id). */
  readonly values = new NodeValues();
  /** Classes of the file, by `class_definition` node id. */
  readonly classes = new Map<number, ClassRef>();
  /** TensorFlow tapes that watch something the analysis cannot follow (they may watch any source). */
  readonly tapesWatchingUnknown = new Set<number>();
  /** The analysis ran out of its work budget: some code was not analysed. */
  incomplete = false;
  /** Where it was when the budget ran out (an expression node), when `incomplete`. */
  stoppedAt: PyNode | null = null;
  steps = 0;
  /**
   * Calls into functions appended from other workspace files (workspace.ts): each such function's node, with
   * the call nodes that called it (in the linted text or in another appended function). A finding inside one
   * is shown at the linted file's calls that lead there.
   */
  readonly workspaceCalls = new Map<PyNode, PyNode[]>();
  /**
   * Of those calls, the ones made in some calling context where autograd did not record (`no_grad`, inference
   * mode, a Lightning evaluation hook), with the places that switched it off: a derivative taken with recording
   * off inside the other file's function is shown at the calls under the place its message names only, not at the
   * same function's calls from a training loop or from another region.
   */
  readonly workspaceOffCalls = new Map<PyNode, Set<PyNode | null>>();

  valueOf(node: PyNode): AV | undefined {
    return this.values.get(node.id);
  }
}

const LOOP_ROUNDS = 4;
/** Variable names that say "this is a loss". */
export const LOSS_NAME = /loss|criterion|objective|penalty/i;
/** A function named for a derivative of a loss (`loss_grad`, `dloss_dx`), whose result is no loss. */
const DERIVATIVE_NAME = /grad|deriv|jac|hess|^d[a-z]*loss|sensitiv/i;

export class Interpreter {
  readonly analysis = new Analysis();
  readonly lib: LibrarySemantics;
  private readonly budget: number;
  private readonly fileCalledNames: ReadonlySet<string> | undefined;
  private readonly appendix: Appendix | null;
  private lastNode: PyNode | null = null;
  private readonly maxContexts: number;
  private readonly maxDepth: number;
  private moduleEnv!: Env;
  private moduleFrame!: Frame;
  /** Memoized results per function node id and context key. */
  private readonly summaries = new Map<number, Map<string, AV>>();
  /** Functions being analysed (recursion guard). */
  private readonly active = new Map<number, Set<string>>();
  /** Function nodes analysed at least once. */
  private readonly analysed = new Set<number>();
  /** Enclosing environment of each nested function when it was defined. */
  private readonly closures = new Map<number, { env: Env; frame: Frame }>();
  /** Event de-duplication: site id → index in its list. */
  private readonly eventIndex = new Map<string, number>();
  /** Grad mode imposed on a function by a decorator or a hook. */
  private readonly fnRecording = new Map<number, Recording>();

  constructor(
    readonly model: SemanticModel,
    opts: AnalysisOptions = {},
  ) {
    this.budget = opts.budget ?? 200_000 + 60 * model.tree.nodes.length;
    this.maxContexts = opts.maxContexts ?? 8;
    this.maxDepth = opts.maxDepth ?? 10;
    this.fileCalledNames = opts.calledNames;
    this.appendix = opts.appendix ?? null;
    this.lib = new LibrarySemantics(this);
  }

  // ------------------------------------------------------------------------------------ entry

  run(): Analysis {
    const root = this.model.tree.root;
    this.moduleEnv = new Env();
    this.moduleFrame = { fn: null, locals: this.model.moduleScope.bindings, outer: null, returns: BOTTOM, loops: [], cls: null, depth: 0 };
    try {
      this.execBlock(root, this.moduleEnv, this.moduleFrame);
      this.analyseUncalled();
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      this.analysis.incomplete = true;
      this.analysis.stoppedAt = this.lastNode;
    }
    return this.analysis;
  }

  /**
   * Entry points nothing in the file calls: methods of classes, then functions, with unknown arguments.
   * Those whose name no call in the file uses go first, so that a helper the file does call (`solve(...)`
   * from an optimizer's `@torch.no_grad()` `step`) is analysed in its callers' contexts rather than, when
   * it happens to come first in the file, with unknown arguments; the rest follow.
   */
  private analyseUncalled(): void {
    const called = this.fileCalledNames ?? this.calledNames();
    // A `torch.set_grad_enabled(False)` statement of the module's code is for the calls the file shows: a function
    // nothing here calls (a method, an importer's entry point) runs in the caller's grad mode, taken as on.
    const moduleRecording = this.moduleEnv.recording;
    this.moduleEnv.recording = RECORDING_ON;
    try {
      this.analyseEntries(called);
    } finally {
      this.moduleEnv.recording = moduleRecording;
    }
  }

  private analyseEntries(called: ReadonlySet<string>): void {
    for (const pass of [0, 1]) {
      const entry = (name: string): boolean => pass === 1 || !called.has(name);
      for (const cls of this.analysis.classes.values()) {
        // Classes and functions appended from other files (workspace.ts) are analysed as this file calls them, not
        // as entry points: their own lint is theirs.
        if (cls.node.start >= this.model.lintedEnd) continue;
        const self = this.instanceOf(cls);
        const init = cls.methods.get('__init__');
        const pending = [...cls.methods].filter(([name, m]) => !this.analysed.has(m.id) && entry(name));
        if (pending.length === 0) continue;
        // `__init__` runs with its defaults, except that a parameter named like a model (`model`, `net`, `netD`) holds the
        // instance `likelyInstance` gives an entry point's parameter: a trainer, explainer or regularizer class next to the
        // model class keeps it as `self.model` (`self.net = net`), which its uncalled methods then differentiate.
        if (init && !this.analysed.has(init.id)) this.callFunction({ node: init, self }, [], this.likelyInitArguments(init, cls), this.moduleEnv, this.moduleFrame, init);
        for (const [, m] of pending) {
          if (this.analysed.has(m.id)) continue;
          this.callFunction({ node: m, self }, null, new Map(), this.moduleEnv, this.moduleFrame, m);
        }
      }
      for (const f of this.model.functions) {
        if (this.analysed.has(f.node.id) || f.node.type !== 'function_definition' || f.node.start >= this.model.lintedEnd) continue;
        if (f.isMethod || !entry(f.name)) continue;
        this.callFunction({ node: f.node, self: null }, null, new Map(), this.moduleEnv, this.moduleFrame, f.node);
      }
    }
    this.lib.afterEntries(this.moduleEnv, this.moduleFrame);
  }

  /** The names calls in the file use: `f` of `f(...)` and of `x.f(...)`. */
  private calledNames(): Set<string> {
    return calledNamesOf(this.model);
  }

  step(): void {
    if (++this.analysis.steps > this.budget) throw new BudgetExceeded();
  }

  // ------------------------------------------------------------------------------------ events

  /** Record (or join into) the event of a site. */
  record<K extends keyof AnalysisEvents>(kind: K, ev: AnalysisEvents[K][number], merge?: (old: AnalysisEvents[K][number], ev: AnalysisEvents[K][number]) => void): void {
    const key = `${kind}:${ev.node.id}`;
    const list = this.analysis.events[kind] as AnalysisEvents[K][number][];
    const i = this.eventIndex.get(key);
    if (i === undefined) {
      this.eventIndex.set(key, list.length);
      list.push(ev);
    } else if (merge) merge(list[i], ev);
  }

  /** The event of `kind` recorded at `node` so far (merged over contexts), if any. */
  recorded<K extends keyof AnalysisEvents>(kind: K, node: PyNode): AnalysisEvents[K][number] | undefined {
    const i = this.eventIndex.get(`${kind}:${node.id}`);
    return i === undefined ? undefined : (this.analysis.events[kind] as AnalysisEvents[K][number][])[i];
  }

  recordDerivative(ev: DerivativeEvent): void {
    if (recordingOff(ev.recording)) ev.offOutput = ev.output;
    this.record('derivatives', ev, (old, n) => {
      const o = old as DerivativeEvent;
      const e = n as DerivativeEvent;
      o.output = join(o.output, e.output);
      o.inputs = join(o.inputs, e.inputs);
      o.result = join(o.result, e.result);
      if (o.func && e.func) o.func = join(o.func, e.func);
      if (o.transform !== e.transform) o.transform = null;
      if (e.mapped) o.mapped = true;
      if (o.recording.mode !== e.recording.mode) o.recording = o.recording.mode === 'on' ? e.recording : o.recording;
      if (e.offOutput) o.offOutput = o.offOutput ? join(o.offOutput, e.offOutput) : e.offOutput;
      if (o.gradOutputs !== e.gradOutputs && typeof o.gradOutputs !== 'string' && typeof e.gradOutputs !== 'string') o.gradOutputs = join(o.gradOutputs, e.gradOutputs);
    });
  }

  /** Remember an expression's value (joined over contexts and loop rounds). */
  note(node: PyNode, v: AV): AV {
    this.analysis.values.add(node.id, v);
    return v;
  }

  // ------------------------------------------------------------------------------------ statements

  execBlock(block: PyNode, env: Env, frame: Frame): void {
    for (const s of block.children) {
      if (env.dead) return;
      this.exec(s, env, frame);
    }
  }

  exec(s: PyNode, env: Env, frame: Frame): void {
    this.step();
    switch (s.type) {
      case 'expression_statement':
        for (const c of s.children) if (c.named && c.type !== 'comment') this.evalStatementExpr(c, env, frame);
        return;
      case 'if_statement':
        return this.execIf(s, env, frame);
      case 'for_statement':
        return this.execFor(s, env, frame);
      case 'while_statement':
        return this.execWhile(s, env, frame);
      case 'try_statement':
        return this.execTry(s, env, frame);
      case 'with_statement':
        return this.execWith(s, env, frame);
      case 'function_definition':
        return this.defineFunction(s, s, env, frame);
      case 'decorated_definition':
        return this.execDecorated(s, env, frame);
      case 'class_definition':
        return this.defineClass(s, env, frame);
      case 'return_statement': {
        const v = namedChildren(s)[0];
        const r = v ? this.eval(v, env, frame) : NONE;
        frame.returns = join(frame.returns, r);
        // `def energy_force_loss(...): ... return (dist_E + dist_F).mean()`: a loss function's tensor result is a loss
        // (not a tuple of a loss and its gradient, nor a function named for a derivative: `loss_grad`).
        if (v && frame.fn && r.t && !isKind(r, Kind.SEQ)) {
          const name = this.model.functionOf(frame.fn)?.name ?? '';
          if (LOSS_NAME.test(name) && !DERIVATIVE_NAME.test(name)) this.lib.sink('loss-return', r, v, `the loss returned by \`${name}\``, frame);
        }
        if (frame.exitGrads) frame.exitGrads.push(this.leavingWiths(env, frame, 0));
        env.dead = true;
        return;
      }
      case 'raise_statement':
        for (const c of namedChildren(s)) this.eval(c, env, frame);
        env.dead = true;
        return;
      case 'break_statement':
        if (frame.loops.length > 0) frame.loops[frame.loops.length - 1].breaks.push(this.leavingWiths(env, frame, frame.loops[frame.loops.length - 1].withDepth ?? 0));
        env.dead = true;
        return;
      case 'continue_statement':
        if (frame.loops.length > 0) frame.loops[frame.loops.length - 1].continues.push(this.leavingWiths(env, frame, frame.loops[frame.loops.length - 1].withDepth ?? 0));
        env.dead = true;
        return;
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        return this.execImport(s, env, frame);
      case 'assert_statement': {
        // `assert t.requires_grad` (or `... is True`): the code needs a graph there.
        const [first, ...rest] = namedChildren(s);
        let test: PyNode | undefined = first;
        if (test?.type === 'comparison_operator' && /\sis\s+True$/.test(this.model.textOf(test))) test = namedChildren(test)[0];
        const obj = test?.type === 'attribute' && this.model.textOf(field(test, 'attribute') ?? test) === 'requires_grad' ? field(test, 'object') : null;
        if (obj) this.lib.needsGraph('assert', this.eval(obj, env, frame), s, env, frame);
        else if (first) this.eval(first, env, frame);
        for (const c of rest) this.eval(c, env, frame);
        return;
      }
      case 'delete_statement':
      case 'print_statement':
      case 'exec_statement':
        for (const c of namedChildren(s)) this.eval(c, env, frame);
        return;
      case 'match_statement':
        return this.execMatch(s, env, frame);
      case 'block':
      case 'module':
        return this.execBlock(s, env, frame);
      default:
        // pass, global, nonlocal, comments, ERROR nodes: nothing to do.
        return;
    }
  }

  private evalStatementExpr(e: PyNode, env: Env, frame: Frame): void {
    switch (e.type) {
      case 'assignment':
        return this.execAssignment(e, env, frame);
      case 'augmented_assignment':
        return this.execAugAssignment(e, env, frame);
      default: {
        const v = this.eval(e, env, frame);
        // `torch.set_grad_enabled(False)` as a statement switches the grad mode until it is switched again.
        if (e.type === 'call') this.lib.gradModeStatement(e, v, env);
      }
    }
  }

  private execAssignment(node: PyNode, env: Env, frame: Frame): void {
    const targets: PyNode[] = [];
    let cur: PyNode | null = node;
    let value: PyNode | null = null;
    while (cur && cur.type === 'assignment') {
      const l = field(cur, 'left');
      if (l) targets.push(l);
      const r: PyNode | null = field(cur, 'right');
      if (r && r.type === 'assignment') cur = r;
      else {
        value = r;
        cur = null;
      }
    }
    if (!value) {
      // annotation only: `x: int`
      return;
    }
    const v = this.eval(value, env, frame);
    for (const t of targets) this.assign(t, v, env, frame, value);
  }

  /** Bind a target (name, pattern, attribute, subscript) to a value. */
  assign(target: PyNode, v: AV, env: Env, frame: Frame, valueNode: PyNode | null): void {
    const t = unparen(target);
    switch (t.type) {
      case 'identifier': {
        const name = this.model.textOf(t);
        // A name the scope calls or asks for its parameters holds a model (or another callable), not a tensor: the
        // call of a helper we cannot see that made it (`model = build_model(args).to(device)`) is a factory, and
        // no backward frees a graph of it (otherwise every later use of the model would look like a freed graph).
        if (v.t && v.t.hist.length > 0 && this.callableNames(frame.fn).has(name)) v = av({ ...v, t: tensorFacts({ ...v.t, hist: NO_IDS }) });
        this.setName(name, v, env, frame);
        this.note(t, v);
        if (LOSS_NAME.test(name) && (v.t || isKind(v, Kind.UNKNOWN))) this.lib.sink('loss-variable', v, t, `the loss \`${name}\``, frame);
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const parts = namedChildren(t);
        const star = parts.findIndex((p) => p.type === 'list_splat_pattern' || p.type === 'list_splat');
        parts.forEach((p, i) => {
          let item: AV;
          if (star >= 0 && i === star) item = seq(null, this.elementOf(v));
          else if (v.items && star < 0 && v.items.length === parts.length) item = v.items[i];
          else if (v.items && star >= 0 && i < star) item = v.items[i] ?? this.elementOf(v);
          else if (v.items && star >= 0 && i > star) item = v.items[v.items.length - (parts.length - i)] ?? this.elementOf(v);
          else item = this.elementOf(v);
          const inner = p.type === 'list_splat_pattern' || p.type === 'list_splat' ? namedChildren(p)[0] : p;
          if (inner) this.assign(inner, item, env, frame, null);
        });
        return;
      }
      case 'attribute':
        return this.lib.storeAttribute(t, v, env, frame, valueNode);
      case 'subscript':
        return this.lib.storeSubscript(t, v, env, frame);
      default:
        return;
    }
  }

  private execAugAssignment(node: PyNode, env: Env, frame: Frame): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (!left || !right) return;
    const r = this.eval(right, env, frame);
    const l = this.eval(left, env, frame);
    const opNode = node.children.find((c) => c.field === 'operator');
    const op = opNode ? this.model.textOf(opNode).replace('=', '') : '+';
    const result = this.lib.binary(op, l, r, node, env, frame);
    this.lib.inplaceOn(left, l, `${op}=`, node, env, frame);
    this.assign(left, result, env, frame, node);
  }

  private execIf(s: PyNode, env: Env, frame: Frame): void {
    const cond = field(s, 'condition');
    const c = cond ? this.eval(cond, env, frame) : UNKNOWN;
    const body = field(s, 'consequence');
    // A condition the analysis knows (`if not torch.is_tensor(x):` with a tensor x): only that branch runs.
    if (c.lit === true) {
      if (body) this.execBlock(body, env, frame);
      return;
    }
    const branches: Env[] = [];
    const b1 = env.copy();
    // `if h is not None:` / `if h is None:`: on the path where the test says None, `h` holds None (so a
    // hidden state detached only when present is not also taken, on the other path, as the old graph).
    const none = cond ? this.noneTest(cond) : null;
    if (none?.isNone) this.narrowToNone(none.target, b1, frame);
    // `if isinstance(x, (str, bytes)): return x`: on that path `x` is a string or a number, which holds no graph
    // (a helper's pass-through branch for non-tensors does not carry the tensor's history out).
    const scalar = cond ? this.scalarTypeTest(cond) : null;
    if (scalar && b1.get(scalar.name) !== undefined) b1.set(scalar.name, scalar.value);
    // `if isinstance(x, torch.Tensor): return x.detach()`: on that path a value of unknown kind is the tensor it may be;
    // on the others it is not a tensor, and holds none of the tensor's history (a recursive detaching helper's
    // `return x` for other values does not carry the tensor's graph out).
    const tensorTest = cond ? this.tensorTypeTest(cond) : null;
    const tested = tensorTest ? env.get(tensorTest) : undefined;
    const narrowTensor = tested !== undefined && isKind(tested, Kind.TENSOR) && isKind(tested, Kind.UNKNOWN) && !!tested.t;
    if (narrowTensor) b1.set(tensorTest!, av({ ...tested!, kind: Kind.TENSOR }));
    if (body && c.lit !== false) this.execBlock(body, b1, frame);
    else if (c.lit === false) b1.dead = true;
    branches.push(b1);
    // The alternatives (and the fall-through) run only when the test was false.
    let alt = env;
    if (none && !none.isNone) {
      alt = env.copy();
      this.narrowToNone(none.target, alt, frame);
    }
    if (narrowTensor) {
      if (alt === env) alt = env.copy();
      // What is left of a value that carries tensor facts (an unseen call's result, taken for a tensor everywhere else) is
      // nothing the analysis knows of: no history, and no kind that would make the helper's result unknown.
      alt.set(tensorTest!, BOTTOM);
    }
    let hasElse = false;
    for (const c of s.children) {
      if (c.type === 'elif_clause') {
        const ec = field(c, 'condition');
        if (ec) this.eval(ec, alt, frame);
        const b = alt.copy();
        const eb = field(c, 'consequence');
        if (eb) this.execBlock(eb, b, frame);
        branches.push(b);
      } else if (c.type === 'else_clause') {
        hasElse = true;
        const b = alt.copy();
        const eb = field(c, 'body') ?? namedChildren(c).find((x) => x.type === 'block') ?? null;
        if (eb) this.execBlock(eb, b, frame);
        branches.push(b);
      }
    }
    if (!hasElse) branches.push(alt.copy());
    this.mergeInto(env, branches);
  }

  /**
   * `isinstance(x, str)`, `isinstance(x, (str, bytes))`, `isinstance(x, (int, float))` (x a name; the classes Python's
   * own, not rebound in the file): the name and the value it holds where the test is true.
   */
  private scalarTypeTest(cond: PyNode): { name: string; value: AV } | null {
    const test = this.isinstanceTest(cond);
    if (!test) return null;
    const { name: tested, classes } = test;
    let value: AV = BOTTOM;
    for (const k of classes) {
      if (k.type !== 'identifier' || this.model.reachingBindings(k).length > 0) return null;
      const name = this.model.textOf(k);
      if (name === 'str' || name === 'bytes') value = join(value, STRING);
      else if (name === 'int' || name === 'float' || name === 'complex') value = join(value, NUMBER);
      else if (name === 'bool') value = join(value, BOOL);
      else return null;
    }
    return value === BOTTOM ? null : { name: tested, value };
  }

  /** `isinstance(x, torch.Tensor)` (x a name; `Tensor` imported from torch, or `nn.Parameter`): the name. */
  private tensorTypeTest(cond: PyNode): string | null {
    const test = this.isinstanceTest(cond);
    if (!test) return null;
    const tensorClass = (k: PyNode): boolean => /^torch\.(?:Tensor|nn\.Parameter|nn\.parameter\.Parameter)$/.test(this.model.qualifiedName(k) ?? '');
    return test.classes.length > 0 && test.classes.every(tensorClass) ? test.name : null;
  }

  /** `isinstance(x, C)` / `isinstance(x, (C, D))` with `x` a name and `isinstance` the builtin: the name and the class nodes. */
  private isinstanceTest(cond: PyNode): { name: string; classes: PyNode[] } | null {
    const c = unparen(cond);
    if (c.type !== 'call' || this.model.textOf(field(c, 'function') ?? c) !== 'isinstance') return null;
    const fn = field(c, 'function');
    if (!fn || fn.type !== 'identifier' || this.model.reachingBindings(fn).length > 0) return null;
    const args = namedChildren(field(c, 'arguments') ?? c);
    if (args.length !== 2 || args[0].type !== 'identifier') return null;
    return { name: this.model.textOf(args[0]), classes: args[1].type === 'tuple' ? namedChildren(args[1]) : [args[1]] };
  }

  /** `x is None` / `x is not None` (x a name or `self.<attr>`): the tested expression and which test. */
  private noneTest(cond: PyNode): { target: PyNode; isNone: boolean } | null {
    const c = unparen(cond);
    if (c.type !== 'comparison_operator') return null;
    const operands = namedChildren(c);
    const ops = c.children.filter((x) => x.field === 'operators').map((x) => this.model.textOf(x));
    if (operands.length !== 2 || ops.length !== 1 || (ops[0] !== 'is' && ops[0] !== 'is not')) return null;
    if (operands[1].type !== 'none') return null;
    const t = operands[0];
    const isGrad = t.type === 'attribute' && this.model.textOf(field(t, 'attribute') ?? t) === 'grad';
    if (t.type !== 'identifier' && !isGrad && !(t.type === 'attribute' && field(t, 'object')?.type === 'identifier' && this.model.textOf(field(t, 'object')!) === 'self')) return null;
    return { target: t, isNone: ops[0] === 'is' };
  }

  /** On this path the tested name (or `self.<attr>` of a method) holds None. */
  private narrowToNone(target: PyNode, env: Env, frame: Frame): void {
    if (target.type === 'identifier') {
      const name = this.model.textOf(target);
      if (env.get(name) !== undefined) env.set(name, NONE);
      return;
    }
    const attr = field(target, 'attribute');
    const obj = field(target, 'object');
    if (attr && obj && this.model.textOf(attr) === 'grad') {
      // `x.grad is None`: nothing has been accumulated into x's buffer on this path.
      const L = this.analysis.values.get(obj.id)?.t?.leafOf;
      if (L !== null && L !== undefined) env.grads.set(L, CLEARED_GRAD);
      return;
    }
    if (frame.cls && attr) env.set(`${SELF_KEY_PREFIX}${this.model.textOf(attr)}`, NONE);
  }

  /** env := join(branches) (dead branches ignored; all dead → dead). */
  mergeInto(env: Env, branches: Env[]): void {
    const live = branches.filter((b) => !b.dead);
    if (live.length === 0) {
      env.dead = true;
      return;
    }
    const first = live[0];
    if (first.index !== env.index) env.indexAll(first.vars);
    env.vars = first.vars;
    env.grads = first.grads;
    env.tapeStates = first.tapeStates;
    env.recording = first.recording;
    env.tapes = first.tapes;
    env.dead = false;
    for (let i = 1; i < live.length; i++) env.joinIn(live[i]);
  }

  /**
   * A loop: the first round runs the body from the entry state; every later round runs it from the join of the
   * states at the end of the body and at `continue` (the back edges) only, until nothing changes (at most
   * LOOP_ROUNDS rounds). Keeping the entry out of the later rounds keeps apart what only the first pass sees
   * (a value bound before the loop and replaced in it) from what the next passes see: an attack whose first
   * step differentiates the image and whose later steps a copy does not add the later losses into the image's
   * `.grad`. The state after the loop joins the entry (the loop may run zero times), the back edges (it may
   * end after any round) and the `break` states.
   */
  private runLoop(node: PyNode, env: Env, frame: Frame, body: (e: Env) => void): void {
    const head = env.copy();
    // Keys bound in the loop only under tests it never changes (invariant.ts): along the back edge they keep the
    // value from before the loop; after the loop they are joined as usual.
    const keep = this.invariantKeys(node);
    const entry = keep.length > 0 ? env.copy() : null;
    const backEdge = (x: Env): Env => {
      if (!entry || x.dead) return x;
      const r = x.copy();
      const gone = keep.filter((k) => entry.get(k) === undefined && r.get(k) !== undefined);
      if (gone.length > 0) r.vars = PMap.from([...r.vars].filter(([k]) => !gone.includes(k)));
      for (const k of keep) {
        const v = entry.get(k);
        if (v !== undefined) r.set(k, v);
      }
      return r;
    };
    const breaks: Env[] = [];
    const ends: Env[] = [];
    // The join of the back edges: where every round after the first starts.
    const later = Env.deadEnv(env);
    let start = env.copy();
    // Recording on when the loop starts and switched off by a statement on every path that reaches the next round
    // (an evaluation helper at the end of an epoch that calls `torch.set_grad_enabled(False)` and returns): the
    // second and later rounds run with recording off.
    const entryOn = start.recording.mode === 'on';
    let leftOff: Recording | null = null;
    for (let round = 0; round < LOOP_ROUNDS; round++) {
      const e = start.copy();
      const ctl = { breaks: [] as Env[], continues: [] as Env[], node, withDepth: frame.withRecordings?.length ?? 0 };
      frame.loops.push(ctl);
      try {
        body(e);
      } finally {
        frame.loops.pop();
      }
      breaks.push(...ctl.breaks);
      ends.push(e, ...ctl.continues);
      let changed = later.joinIn(backEdge(e));
      for (const c of ctl.continues) changed = later.joinIn(backEdge(c)) || changed;
      if (later.dead) break; // no path reaches the next round
      if (entryOn) {
        const next = [e, ...ctl.continues].filter((x) => !x.dead);
        const off = next.length > 0 && next.every((x) => x.recording.mode === 'off' && x.recording.site !== null && x.recording.site === next[0].recording.site) ? next[0].recording : null;
        if (off && (!leftOff || leftOff.site === off.site)) {
          if (!leftOff) changed = true;
          leftOff = { mode: 'off', site: off.site, why: off.why, loop: node };
          later.recording = leftOff;
        } else if (leftOff) {
          // A later round found another mode: back to the join (unknown).
          leftOff = null;
          later.recording = { mode: 'unknown', site: off?.site ?? later.recording.site, why: later.recording.why };
          changed = true;
        }
      }
      head.joinIn(e);
      for (const c of ctl.continues) head.joinIn(c);
      if (!changed && round > 0) break;
      start = later.copy();
    }
    this.mergeInto(env, [head, ...breaks]);
    // After the loop: on had it run zero times, off otherwise (unknown, as a join of the two).
    if (leftOff && env.recording === leftOff) env.recording = { mode: 'unknown', site: leftOff.site, why: leftOff.why };
    // A name bound in the loop and nowhere before it: had the loop run zero times, reading it after the loop
    // would raise NameError on the first pass, so the code relies on the loop running. After the loop it
    // holds what this pass of the loop bound, not (through an enclosing loop's back edge) an earlier pass's.
    for (const name of this.boundOnlyIn(node, frame)) {
      let v = BOTTOM;
      for (const x of [...ends, ...breaks]) {
        const b = x.dead ? undefined : x.get(name);
        if (b) v = join(v, b);
      }
      if (v !== BOTTOM && !env.dead) env.set(name, v);
    }
  }

  /** `invariantlyBoundKeys` by loop node. */
  private readonly invariantByLoop = new Map<number, string[]>();

  private invariantKeys(loop: PyNode): string[] {
    let keys = this.invariantByLoop.get(loop.id);
    if (!keys) {
      keys = invariantlyBoundKeys(this.model, loop);
      this.invariantByLoop.set(loop.id, keys);
    }
    return keys;
  }

  /** Names of the current scope bound inside `loop` and by no binding before it. */
  private boundOnlyIn(loop: PyNode, frame: Frame): string[] {
    const known = this.loopOnlyNames.get(loop.id);
    if (known) return known;
    const scope = (frame.fn ? this.model.functionOf(frame.fn)?.scope : null) ?? this.model.moduleScope;
    // Only names with a binding inside the loop can qualify: find those by position in the scope's
    // bindings sorted once (testing every name of the scope at every loop was quadratic for module-level
    // loops, one per notebook cell), and keep the scope's order of names.
    let sorted = this.bindingsByPosition.get(scope);
    if (!sorted) {
      const order = new Map<string, number>();
      const all: { at: number; name: string }[] = [];
      for (const [name, bs] of scope.bindings) {
        order.set(name, order.size);
        for (const b of bs) all.push({ at: b.at, name });
      }
      all.sort((x, y) => x.at - y.at);
      sorted = { all, order };
      this.bindingsByPosition.set(scope, sorted);
    }
    let lo = 0;
    let hi = sorted.all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted.all[mid].at < loop.start) lo = mid + 1;
      else hi = mid;
    }
    const names = new Set<string>();
    for (let i = lo; i < sorted.all.length && sorted.all[i].at <= loop.end; i++) names.add(sorted.all[i].name);
    const order = sorted.order;
    const candidates = [...names].sort((x, y) => order.get(x)! - order.get(y)!);
    const out: string[] = [];
    for (const name of candidates) {
      const bs = scope.bindings.get(name) ?? [];
      let inside = false;
      let before = false;
      for (const b of bs) {
        if (b.at >= loop.start && b.at <= loop.end) inside = true;
        else if (b.at < loop.start || b.kind === 'param' || b.kind === 'import' || b.kind === 'def' || b.kind === 'class') before = true;
      }
      if (inside && !before) out.push(name);
    }
    this.loopOnlyNames.set(loop.id, out);
    return out;
  }

  /** `boundOnlyIn` by loop node. */
  private readonly loopOnlyNames = new Map<number, string[]>();
  /** A scope's bindings by position, and its names' order, for `boundOnlyIn`. */
  private readonly bindingsByPosition = new Map<object, { all: { at: number; name: string }[]; order: Map<string, number> }>();

  private execFor(s: PyNode, env: Env, frame: Frame): void {
    const left = field(s, 'left');
    const right = field(s, 'right');
    const iter = right ? this.eval(right, env, frame) : UNKNOWN;
    const item = this.lib.iterate(iter, right);
    const body = field(s, 'body');
    // A loop over a model's parameters, or over a literal list or tuple of items, runs at least once: what its body
    // freezes or unfreezes (`p.requires_grad = False`) holds after it, not joined with a round that never ran.
    const once = (!!item.t?.variable && item.t.params.length > 0) || (!!iter.items && iter.items.length > 0);
    let frozenAfter: readonly number[] | null = null;
    this.runLoop(s, env, frame, (e) => {
      if (left) this.assign(left, item, e, frame, null);
      if (body) this.execBlock(body, e, frame);
      if (once && !e.dead) frozenAfter = frozenAfter === null ? e.frozen : frozenAfter.filter((x) => e.frozen.includes(x));
    });
    if (once && frozenAfter !== null && !env.dead) env.frozen = frozenAfter;
    const alt = field(s, 'alternative');
    if (alt && !env.dead) this.execBlock(alt, env, frame);
  }

  private execWhile(s: PyNode, env: Env, frame: Frame): void {
    const cond = field(s, 'condition');
    const body = field(s, 'body');
    if (cond) this.eval(cond, env, frame);
    this.runLoop(s, env, frame, (e) => {
      if (body) this.execBlock(body, e, frame);
      if (cond && !e.dead) this.eval(cond, e, frame);
    });
    const alt = field(s, 'alternative');
    if (alt && !env.dead) this.execBlock(alt, env, frame);
  }

  private execTry(s: PyNode, env: Env, frame: Frame): void {
    const before = env.copy();
    const body = field(s, 'body');
    if (body) this.execBlock(body, env, frame);
    const ends: Env[] = [];
    let elseBlock: PyNode | null = null;
    let finallyBlock: PyNode | null = null;
    const handlers: PyNode[] = [];
    for (const c of s.children) {
      if (c.type === 'except_clause' || c.type === 'except_group_clause') handlers.push(c);
      else if (c.type === 'else_clause') elseBlock = c;
      else if (c.type === 'finally_clause') finallyBlock = c;
    }
    if (elseBlock && !env.dead) this.execBlock(elseBlock, env, frame);
    ends.push(env.copy());
    for (const h of handlers) {
      // An exception may come from anywhere in the body: start from the join of before and after.
      const he = before.copy();
      he.joinIn(env);
      for (const c of h.children) {
        if (c.type === 'as_pattern') {
          const alias = field(c, 'alias');
          const target = alias ? (namedChildren(alias)[0] ?? alias) : null;
          if (target && target.type === 'identifier') this.setName(this.model.textOf(target), UNKNOWN, he, frame);
        } else if (c.type === 'block') this.execBlock(c, he, frame);
      }
      ends.push(he);
    }
    this.mergeInto(env, ends);
    if (finallyBlock) {
      if (env.dead) {
        const fe = before.copy();
        this.execBlock(finallyBlock, fe, frame);
      } else this.execBlock(finallyBlock, env, frame);
    }
  }

  /** A copy of `env` as it is after leaving the `with` blocks entered since depth `depth` (their grad modes restored). */
  private leavingWiths(env: Env, frame: Frame, depth: number): Env {
    const c = env.copy();
    const saved = frame.withRecordings;
    if (saved && saved.length > depth) c.recording = saved[depth];
    return c;
  }

  private execWith(s: PyNode, env: Env, frame: Frame): void {
    const body = field(s, 'body');
    const savedRec = env.recording;
    const savedTapes = env.tapes;
    (frame.withRecordings ??= []).push(savedRec);
    const exits: (() => void)[] = [];
    for (const clause of s.children) {
      if (clause.type !== 'with_clause') continue;
      for (const item of clause.children) {
        if (item.type !== 'with_item') continue;
        const v = field(item, 'value');
        if (!v) continue;
        let expr = v;
        let target: PyNode | null = null;
        if (v.type === 'as_pattern') {
          expr = namedChildren(v)[0] ?? v;
          const alias = field(v, 'alias');
          target = alias ? (namedChildren(alias)[0] ?? alias) : null;
        }
        const cm = this.eval(expr, env, frame);
        const entered = this.lib.enterContext(cm, expr, env);
        if (entered.exit) exits.push(entered.exit);
        if (target) this.assign(target, entered.value, env, frame, null);
      }
    }
    try {
      if (body) this.execBlock(body, env, frame);
    } finally {
      frame.withRecordings.pop();
    }
    for (const x of exits.reverse()) x();
    env.recording = savedRec;
    env.tapes = savedTapes;
  }

  private execMatch(s: PyNode, env: Env, frame: Frame): void {
    const subject = field(s, 'subject');
    if (subject) this.eval(subject, env, frame);
    const body = field(s, 'body');
    const branches: Env[] = [env.copy()];
    for (const c of body ? body.children : s.children) {
      if (c.type !== 'case_clause') continue;
      const b = env.copy();
      const blk = field(c, 'consequence') ?? namedChildren(c).find((x) => x.type === 'block') ?? null;
      if (blk) this.execBlock(blk, b, frame);
      branches.push(b);
    }
    this.mergeInto(env, branches);
  }

  private execImport(s: PyNode, env: Env, frame: Frame): void {
    if (s.type === 'import_statement') {
      for (const c of s.children) {
        if (c.field !== 'name') continue;
        if (c.type === 'dotted_name') {
          const parts = namedChildren(c).map((p) => this.model.textOf(p));
          const first = parts[0];
          if (first === undefined) continue;
          // `import models` of a workspace module: `models.Net` reads the module's names. `import models.net` binds
          // the package `models`, whose attribute `net` is the module (`models.net.Net`): the package's names as
          // bound so far (an earlier `import models.losses`), with the path to this module added.
          const ns = this.workspaceModule(s, parts.join('.'));
          let keys: ReadonlyMap<string, AV> | null = ns?.keys ?? null;
          for (let i = parts.length - 1; i >= 1 && keys; i--) {
            const prior = i === 1 ? env.get(first) : undefined;
            const merged = new Map(prior && isKind(prior, Kind.LIB) && prior.keys ? prior.keys : []);
            merged.set(parts[i]!, av({ kind: Kind.LIB, lib: [canonicalName(parts.slice(0, i + 1).join('.'))], keys }));
            keys = merged;
          }
          this.setName(first, av({ kind: Kind.LIB, lib: [first], keys }), env, frame);
        } else if (c.type === 'aliased_import') {
          const name = field(c, 'name');
          const alias = field(c, 'alias');
          const mod = name ? this.model.textOf(name).replace(/\s+/g, '') : '';
          const ns = name ? this.workspaceModule(s, mod) : null;
          if (name && alias) this.setName(this.model.textOf(alias), av({ kind: Kind.LIB, lib: [canonicalName(mod)], keys: ns?.keys ?? null }), env, frame);
        }
      }
      return;
    }
    if (s.type !== 'import_from_statement') return;
    const mod = field(s, 'module_name');
    const modName = mod ? this.model.textOf(mod).replace(/\s+/g, '') : '';
    // A module of the workspace: its names as the appended module defines them (a class, a helper).
    const ws = this.workspaceModule(s, modName);
    // A name of the module, or a submodule of a package (`from . import models`): its names as a module value.
    const fromWorkspace = (name: string): AV | null => {
      const v = ws?.keys?.get(name);
      if (v) return v;
      const sub = this.workspaceModule(s, submoduleName(modName, name));
      return sub?.keys ? av({ kind: Kind.LIB, lib: [canonicalName(`${modName}.${name}`)], keys: sub.keys }) : null;
    };
    if (ws?.keys && s.children.some((c) => c.type === 'wildcard_import')) for (const [k, v] of ws.keys) this.setName(k, v, env, frame);
    for (const c of s.children) {
      if (c.field !== 'name') continue;
      if (c.type === 'dotted_name') {
        const last = namedChildren(c).at(-1);
        if (last) this.setName(this.model.textOf(last), fromWorkspace(this.model.textOf(c)) ?? av({ kind: Kind.LIB, lib: [canonicalName(`${modName}.${this.model.textOf(c)}`)] }), env, frame);
      } else if (c.type === 'aliased_import') {
        const name = field(c, 'name');
        const alias = field(c, 'alias');
        if (name && alias) this.setName(this.model.textOf(alias), fromWorkspace(this.model.textOf(name)) ?? av({ kind: Kind.LIB, lib: [canonicalName(`${modName}.${this.model.textOf(name)}`)] }), env, frame);
      }
    }
  }

  /** Workspace modules' names (a DICT value keyed by name), per appended module function. */
  private readonly workspaceModules = new Map<string, AV | null>();

  /**
   * The names of the workspace module an import statement refers to (what its appended function returns), or
   * null when it is not a module of the workspace (a library).
   */
  private workspaceModule(s: PyNode, modName: string): AV | null {
    const a = this.appendix;
    if (!a) return null;
    const fn = a.modules.get(`${segmentAt(a, s.start)}|${modName}`);
    if (!fn) return null;
    const known = this.workspaceModules.get(fn);
    if (known !== undefined) return known;
    this.workspaceModules.set(fn, null); // an import cycle reads the library name
    const def = this.model.functions.find((f) => f.name === fn && !f.isMethod && f.node.start >= a.segments[0]!.start);
    let v: AV | null = null;
    if (def) {
      const r = this.callFunction({ node: def.node, self: null }, [], new Map(), this.moduleEnv, this.moduleFrame, def.node);
      v = r.keys ? r : null;
    }
    this.workspaceModules.set(fn, v);
    return v;
  }

  // ------------------------------------------------------------------------------------ names

  private readonly callableNamesCache = new Map<PyNode | null, ReadonlySet<string>>();

  /**
   * Names the scope (a function's body, or the module's code outside functions and classes) uses as models or
   * other callables: called (`model(x)`), or asked for what only modules and optimizers have (`model.parameters()`,
   * `.eval()`, `.state_dict()`, `opt.zero_grad()`). Tensors are never called and have none of these methods.
   */
  private callableNames(fn: PyNode | null): ReadonlySet<string> {
    let names = this.callableNamesCache.get(fn);
    if (names) return names;
    const found = new Set<string>();
    const scope = fn ? (field(fn, 'body') ?? fn) : this.model.tree.root;
    walk(scope, (n) => {
      if (n !== scope && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) return false;
      if (n.type !== 'call') return;
      const f = field(n, 'function');
      if (f?.type === 'identifier') found.add(this.model.textOf(f));
      else if (f?.type === 'attribute') {
        const o = field(f, 'object');
        const a = field(f, 'attribute');
        if (o?.type === 'identifier' && a && MODULE_ONLY_METHODS.has(this.model.textOf(a))) found.add(this.model.textOf(o));
      }
    });
    names = found;
    this.callableNamesCache.set(fn, names);
    return names;
  }

  setName(name: string, v: AV, env: Env, frame: Frame): void {
    if (frame.locals.has(name) || frame.fn === null) env.set(name, v);
    else if (frame.outer) {
      // A name not local here (a `nonlocal`/`global`), or a comprehension variable: set where it lives.
      env.set(name, v);
    } else env.set(name, v);
  }

  lookup(name: string, env: Env, frame: Frame, node: PyNode | null): AV {
    const local = env.get(name);
    if (local) return local;
    if (frame.locals.has(name) && frame.fn !== null) return UNKNOWN; // read before assignment on this path
    for (let o = frame.outer; o; o = o.frame.outer) {
      const v = o.env.get(name);
      if (v) return v;
    }
    if (frame.fn !== null || env !== this.moduleEnv) {
      const g = this.moduleEnv.get(name);
      if (g) return g;
    }
    // Not bound in the file: a builtin, or a conventional alias in a snippet without imports (`torch`,
    // `nn`, `F`, `np`), or a Keras class a `from keras.layers import *` binds; anything else is a value defined where
    // we cannot see it (another cell, another file).
    const snippet = this.model.starImported(name) ?? this.model.snippetAlias(name) ?? this.model.libraryClassAlias(name);
    if (snippet) return av({ kind: Kind.LIB, lib: [snippet] });
    if (CONVENTIONAL_ALIASES[name] !== undefined && Object.prototype.hasOwnProperty.call(CONVENTIONAL_ALIASES, name)) return av({ kind: Kind.LIB, lib: [CONVENTIONAL_ALIASES[name]] });
    if (PYTHON_BUILTINS.has(name)) return av({ kind: Kind.LIB, lib: [name] });
    void node;
    return UNKNOWN;
  }

  // ------------------------------------------------------------------------------------ functions and classes

  private execDecorated(s: PyNode, env: Env, frame: Frame): void {
    const def = field(s, 'definition');
    const decorators: AV[] = [];
    for (const d of s.children) {
      if (d.type !== 'decorator') continue;
      const expr = namedChildren(d)[0];
      if (expr) decorators.push(this.eval(expr, env, frame));
    }
    if (!def) return;
    if (def.type === 'class_definition') {
      this.defineClass(def, env, frame);
      return;
    }
    for (const d of decorators) {
      const rec = this.lib.decoratorRecording(d, s);
      if (rec) this.fnRecording.set(def.id, rec);
    }
    this.defineFunction(def, s, env, frame, decorators);
  }

  private defineFunction(def: PyNode, stmt: PyNode, env: Env, frame: Frame, decorators: AV[] = []): void {
    const nameNode = field(def, 'name');
    // Default values are evaluated at definition time.
    const params = field(def, 'parameters');
    if (params) for (const p of params.children) if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const v = field(p, 'value');
      if (v) this.eval(v, env, frame);
    }
    if (frame.fn !== null || frame.cls !== null) this.closures.set(def.id, { env, frame });
    let value = av({ kind: Kind.FUNC, fns: [{ node: def, self: null }], site: def.id });
    for (const d of decorators) value = this.lib.decorate(d, value, stmt);
    if (nameNode) this.setName(this.model.textOf(nameNode), value, env, frame);
  }

  private defineClass(def: PyNode, env: Env, frame: Frame): void {
    const nameNode = field(def, 'name');
    const libBases: string[] = [];
    const bases: ClassRef[] = [];
    const supers = field(def, 'superclasses');
    if (supers) {
      for (const b of namedChildren(supers)) {
        if (b.type === 'keyword_argument') continue;
        const v = this.eval(b, env, frame);
        for (const q of v.lib) libBases.push(q);
        for (const c of v.classes) if (isKind(v, Kind.CLASS)) bases.push(c);
      }
    }
    const cls: ClassRef = { node: def, name: nameNode ? this.model.textOf(nameNode) : '<class>', libBases, bases, attrs: new Map(), methods: new Map() };
    if (this.definedClasses.length < 4096) this.definedClasses.push(cls);
    this.analysis.classes.set(def.id, cls);
    this.classVersion++;
    const body = field(def, 'body');
    if (body) {
      const scope = this.model.scopeOpenedBy(def);
      const classEnv = new Env(new Map(), env.recording, env.tapes);
      const cframe: Frame = { fn: null, locals: scope ? scope.bindings : NO_LOCALS, outer: { env, frame }, returns: BOTTOM, loops: [], cls, depth: frame.depth };
      for (const s of body.children) {
        if (s.type === 'function_definition' || s.type === 'decorated_definition') {
          const fn = s.type === 'decorated_definition' ? field(s, 'definition') : s;
          const n = fn ? field(fn, 'name') : null;
          if (fn && n && fn.type === 'function_definition') cls.methods.set(this.model.textOf(n), fn);
          if (s.type === 'decorated_definition' && fn) {
            for (const d of s.children) {
              if (d.type !== 'decorator') continue;
              const expr = namedChildren(d)[0];
              if (!expr) continue;
              const dv = this.eval(expr, env, frame);
              const rec = this.lib.decoratorRecording(dv, s);
              if (rec) this.fnRecording.set(fn.id, rec);
            }
          }
          if (fn) this.closures.set(fn.id, { env, frame });
          continue;
        }
        this.exec(s, classEnv, cframe);
      }
      for (const [k, v] of classEnv.vars) if (!cls.methods.has(k)) cls.attrs.set(k, v);
    }
    if (nameNode) this.setName(this.model.textOf(nameNode), av({ kind: Kind.CLASS, classes: [cls], site: def.id }), env, frame);
  }

  /** Every class the analysis defined, in order (a mixin's subclasses are among them). */
  private readonly definedClasses: ClassRef[] = [];

  /**
   * Whether Lightning runs `cls`'s hooks: it derives from a LightningModule or a Lightning Callback, or it is a
   * mixin that a class of the file combines with one (`class Solver(PhysicsMixin, pl.LightningModule)`), whose
   * `validation_step` the mixin then supplies.
   */
  private lightningRuns(cls: ClassRef): boolean {
    const lightning = (c: ClassRef): boolean => this.libBasesOf(c).some((q) => LIGHTNING_BASES.has(q) || LIGHTNING_CALLBACK_BASES.has(q));
    if (lightning(cls)) return true;
    const derives = (c: ClassRef, seen: Set<ClassRef>): boolean => {
      if (seen.has(c)) return false;
      seen.add(c);
      return c.bases.some((b) => b === cls || derives(b, seen));
    };
    return this.definedClasses.some((c) => c !== cls && lightning(c) && derives(c, new Set()));
  }

  /** All library bases of a class, through its local bases. */
  libBasesOf(cls: ClassRef): string[] {
    const out: string[] = [];
    const seen = new Set<ClassRef>();
    const go = (c: ClassRef): void => {
      if (seen.has(c)) return;
      seen.add(c);
      out.push(...c.libBases);
      for (const b of c.bases) go(b);
    };
    go(cls);
    return out;
  }

  isModuleClass(cls: ClassRef): boolean {
    return this.libBasesOf(cls).some((q) => MODULE_BASES.has(q) || /(?:^|\.)(?:Module|Model|Layer|LightningModule)$/.test(q));
  }

  /** A method of a class or its local bases. */
  methodOf(cls: ClassRef, name: string): PyNode | null {
    const seen = new Set<ClassRef>();
    const go = (c: ClassRef): PyNode | null => {
      if (seen.has(c)) return null;
      seen.add(c);
      const m = c.methods.get(name);
      if (m) return m;
      for (const b of c.bases) {
        const r = go(b);
        if (r) return r;
      }
      return null;
    };
    return go(cls);
  }

  private readonly overrides = new Map<string, { cls: ClassRef; node: PyNode }[]>();

  /**
   * The definitions of method `name` in the file's subclasses of `cls` (direct or not) that define it themselves, for
   * a method `cls` leaves to them. Only the classes defined so far; a subclass another file defines is not seen.
   */
  overridesOf(cls: ClassRef, name: string): { cls: ClassRef; node: PyNode }[] {
    const key = `${cls.node.id}|${name}|${this.definedClasses.length}`;
    const known = this.overrides.get(key);
    if (known) return known;
    const derives = (c: ClassRef, seen: Set<ClassRef>): boolean => {
      if (seen.has(c)) return false;
      seen.add(c);
      return c.bases.some((b) => b === cls || derives(b, seen));
    };
    const out: { cls: ClassRef; node: PyNode }[] = [];
    for (const c of this.definedClasses) {
      if (c === cls || out.length >= 8) continue;
      const m = c.methods.get(name);
      if (m && !this.isAbstract(m) && derives(c, new Set())) out.push({ cls: c, node: m });
    }
    this.overrides.set(key, out);
    return out;
  }

  /** Whether a method only raises `NotImplementedError` (or is an `@abstractmethod` whose body is `pass`/`...`/a docstring). */
  isAbstract(def: PyNode): boolean {
    const body = field(def, 'body');
    if (!body) return false;
    const stmts = body.children.filter((c) => c.named && c.type !== 'comment');
    const doc = (s: PyNode): boolean => s.type === 'expression_statement' && namedChildren(s).length === 1 && namedChildren(s)[0].type === 'string';
    const rest = stmts.filter((s) => !doc(s));
    if (rest.length === 1 && rest[0].type === 'raise_statement' && /^raise\s+NotImplementedError\b/.test(this.model.textOf(rest[0]))) return true;
    const p = def.parent;
    const abstract = p?.type === 'decorated_definition' && p.children.some((d) => d.type === 'decorator' && /\babstractmethod\b/.test(this.model.textOf(d)));
    return abstract && rest.every((s) => s.type === 'pass_statement' || (s.type === 'expression_statement' && this.model.textOf(s).trim() === '...'));
  }

  /** A class-level or `self.` attribute of a class or its local bases. */
  attrOf(cls: ClassRef, name: string): AV | undefined {
    const seen = new Set<ClassRef>();
    const go = (c: ClassRef): AV | undefined => {
      if (seen.has(c)) return undefined;
      seen.add(c);
      const a = c.attrs.get(name);
      if (a) return a;
      for (const b of c.bases) {
        const r = go(b);
        if (r) return r;
      }
      return undefined;
    };
    return go(cls);
  }

  private readonly instances = new Map<ClassRef, AV>();

  instanceOf(cls: ClassRef): AV {
    let v = this.instances.get(cls);
    if (!v) {
      v = av({ kind: Kind.INST, classes: [cls], site: cls.node.id });
      this.instances.set(cls, v);
    }
    return v;
  }

  /**
   * The instance an entry point's parameter most likely holds, by its name, when this file defines the
   * model classes: `netD`/`critic`/`discriminator` is the file's critic class (its name says so), and
   * `model`/`net`/`netD`... is the only `nn.Module` class of the file that no other class of the file
   * uses. A gradient-penalty helper next to its critic is how real code is written; the call then sees
   * the critic's layers (BatchNorm, ReLU) instead of an unknown callable. Undefined when unsure.
   */
  /**
   * An entry point's parameter that the function itself differentiates with respect to (`torch.autograd.grad(u, x)`,
   * an item of `inputs=[x, t]`), read there from the parameter unchanged: the caller passes a tensor that requires grad,
   * and what it was computed from does not matter to a derivative with respect to it. The value is a tensor that may be
   * a leaf (not one for sure: the caller may pass a non-leaf), not an opaque one: a second derivative through the
   * function's visible model is then judged by that model's layers (a ReLU PINN's `pde_loss(x)`).
   */
  private derivativeInput(fnInfo: FunctionInfo, p: Binding): AV | undefined {
    let set = this.derivativeInputs.get(fnInfo.node.id);
    if (!set) {
      set = new Set<Binding>();
      for (const c of this.model.calls) {
        if (c.qname !== 'torch.autograd.grad' || this.model.enclosingFunction(c.node) !== fnInfo) continue;
        const x = this.model.argument(c, 'inputs', 'torch.autograd.grad');
        if (x.kind !== 'found') continue;
        const u = unparen(x.node);
        const items = u.type === 'list' || u.type === 'tuple' ? namedChildren(u) : [u];
        for (const it of items) {
          const n = unparen(it);
          if (n.type !== 'identifier' || !this.model.isUse(n)) continue;
          const reach = this.model.reachingBindings(n);
          if (reach.length === 1 && reach[0].kind === 'param' && reach[0].param?.fn === fnInfo && reach[0].param.star === 'none') set.add(reach[0]);
        }
      }
      // A parameter read by a tensor the function marks itself (`xt = torch.cat([x, t], 1); xt.requires_grad_(True)`): the
      // marking says the parameter does not require grad (it would be redundant otherwise), so no guess is made.
      if (set.size > 0) for (const b of this.markedFrom(fnInfo)) set.delete(b);
      this.derivativeInputs.set(fnInfo.node.id, set);
    }
    if (!set.has(p)) return undefined;
    return av({ kind: Kind.TENSOR, t: tensorFacts({ mayLeaf: [p.target.id], affine: true }), site: p.target.id });
  }

  /** Parameters of `fnInfo` read by the value of a name the function marks with `requires_grad_()` or `.requires_grad = True`. */
  private markedFrom(fnInfo: FunctionInfo): Set<Binding> {
    const out = new Set<Binding>();
    const marked: PyNode[] = [];
    walk(fnInfo.node, (n) => {
      if (n.type === 'call') {
        const fn = field(n, 'function');
        const attr = fn?.type === 'attribute' ? field(fn, 'attribute') : null;
        const obj = fn?.type === 'attribute' ? field(fn, 'object') : null;
        if (attr && obj && this.model.textOf(attr) === 'requires_grad_') marked.push(unparen(obj));
      } else if (n.type === 'assignment') {
        const left = field(n, 'left');
        const attr = left?.type === 'attribute' ? field(left, 'attribute') : null;
        const obj = left?.type === 'attribute' ? field(left, 'object') : null;
        if (attr && obj && this.model.textOf(attr) === 'requires_grad') marked.push(unparen(obj));
      }
      return true;
    });
    const reads = (e: PyNode): void =>
      walk(e, (n) => {
        if (n.type === 'identifier' && this.model.isUse(n)) for (const r of this.model.reachingBindings(n)) if (r.kind === 'param' && r.param?.fn === fnInfo) out.add(r);
        return true;
      });
    for (const t of marked) {
      // Marked where it is made (`torch.cat([x, t], 1).requires_grad_()`), or through the name it is bound to.
      if (t.type !== 'identifier') reads(t);
      else if (this.model.isUse(t)) for (const b of this.model.reachingBindings(t)) if (b.kind === 'assign' && b.value) reads(b.value);
    }
    return out;
  }

  private likelyInstance(param: string): AV | undefined {
    const critic = CRITIC_PARAM.test(param);
    const model = MODEL_PARAM.test(param);
    if (!critic && !model) return undefined;
    // The choice depends only on the file's classes so far: made once per kind until a class is defined
    // (it tested every pair of classes for every uncalled function with such a parameter).
    if (this.likelyVersion !== this.classVersion) {
      this.likelyClass.clear();
      this.likelyVersion = this.classVersion;
    }
    const kind = critic ? 'critic' : 'model';
    let cls = this.likelyClass.get(kind);
    if (cls === undefined) {
      cls = this.likelyClassOf(critic);
      this.likelyClass.set(kind, cls);
    }
    return cls ? this.instanceOf(cls) : undefined;
  }

  private readonly duckCache = new Map<string, AV | null>();
  /** Method calls on a name or a `self.<attr>` receiver, by the function they are in (built once, for `ducktypedInstance`). */
  private methodCallsByFunction: Map<number, CallInfo[]> | null = null;

  private methodCallsIn(fn: PyNode): readonly CallInfo[] {
    if (!this.methodCallsByFunction) {
      const by = new Map<number, CallInfo[]>();
      for (const c of this.model.calls) {
        if (!c.method || !c.receiver || c.method.startsWith('__')) continue;
        const r = unparen(c.receiver);
        if (r.type !== 'identifier' && r.type !== 'attribute') continue;
        const f = this.model.enclosingFunction(c.node);
        if (!f) continue;
        const list = by.get(f.node.id);
        if (list) list.push(c);
        else by.set(f.node.id, [c]);
      }
      this.methodCallsByFunction = by;
    }
    return this.methodCallsByFunction.get(fn.id) ?? [];
  }

  /**
   * The instance an entry point's parameter holds when its uses say which class of the file it is: the methods the
   * function calls on it (`attacker.perturb(x, y)`, or on `self.<attr>` in any method of the class when `param` is an
   * `__init__` parameter kept as `self.<attr> = param`) are all defined by exactly one class of the file (or of a
   * workspace file it imports), and one of those methods differentiates (`backward()`, `torch.autograd.grad`). An attack,
   * explainer or regularizer class defined next to the evaluation that is given one: what it does inside the call is the
   * class's code. Undefined when no method is called, when two classes define them, or when none of the called methods
   * differentiates (the value is then left to the usual unknown argument).
   */
  private ducktypedInstance(def: PyNode, param: string, cls: ClassRef | null): AV | undefined {
    const key = `${def.id}:${param}`;
    const known = this.duckCache.get(key);
    if (known !== undefined) return known ?? undefined;
    this.duckCache.set(key, null);
    const m = this.model;
    // What the parameter is read as: the name itself in `def`, or `self.<attr>` attributes `__init__` binds it to.
    const attrs = new Set<string>();
    if (cls) {
      const body = field(def, 'body');
      for (const st of body ? body.children : []) {
        const e = st.type === 'expression_statement' ? namedChildren(st)[0] : null;
        if (!e || e.type !== 'assignment') continue;
        const l = field(e, 'left');
        const r = field(e, 'right');
        if (!l || !r || l.type !== 'attribute' || unparen(r).type !== 'identifier' || m.textOf(unparen(r)) !== param) continue;
        const o = field(l, 'object');
        const a = field(l, 'attribute');
        if (o && a && o.type === 'identifier' && m.textOf(o) === 'self') attrs.add(m.textOf(a));
      }
      if (attrs.size === 0) return undefined;
    }
    const methods = new Set<string>();
    for (const fnNode of cls ? [...cls.methods.values()] : [def]) {
      for (const c of this.methodCallsIn(fnNode)) {
        const r = unparen(c.receiver!);
        if (cls) {
          if (r.type !== 'attribute') continue;
          const o = field(r, 'object');
          const a = field(r, 'attribute');
          if (!o || !a || o.type !== 'identifier' || m.textOf(o) !== 'self' || !attrs.has(m.textOf(a))) continue;
        } else if (r.type !== 'identifier' || m.textOf(r) !== param) continue;
        methods.add(c.method!);
      }
    }
    if (methods.size === 0) return undefined;
    // Which classes define them is a question about the whole file: the re-lint by groups must see those classes.
    for (const n of methods) m.probeWord(n);
    const defines = (c: ClassRef, name: string): PyNode | undefined => {
      const seen = new Set<ClassRef>();
      const go = (k: ClassRef): PyNode | undefined => {
        if (seen.has(k)) return undefined;
        seen.add(k);
        return k.methods.get(name) ?? k.bases.map(go).find((x) => x !== undefined);
      };
      return go(c);
    };
    const candidates = [...this.analysis.classes.values()].filter((c) => c !== cls && [...methods].every((n) => defines(c, n)));
    if (candidates.length !== 1) return undefined;
    const found = candidates[0];
    const differentiates = [...methods].some((n) => {
      const md = defines(found, n)!;
      return m.calls.some((c) => c.node.start >= md.start && c.node.end <= md.end && (c.method === 'backward' || (c.qname !== null && c.qname in TORCH_DERIVATIVES)));
    });
    if (!differentiates) return undefined;
    const v = this.instanceOf(found);
    this.duckCache.set(key, v);
    return v;
  }

  /** Keyword arguments for an entry class's `__init__`: its model-named parameters bound to `likelyInstance`. */
  private likelyInitArguments(init: PyNode, cls: ClassRef): Map<string, AV> {
    const out = new Map<string, AV>();
    const fn = this.model.functionOf(init);
    if (!fn) return out;
    for (const p of fn.params.slice(1)) {
      if (p.param?.star !== 'none') continue;
      const v = this.likelyInstance(p.name) ?? this.ducktypedInstance(init, p.name, cls);
      // Not the class itself (a wrapper module given the model would hold itself).
      if (v && isKind(v, Kind.INST) && !v.classes.includes(cls)) out.set(p.name, v);
    }
    return out;
  }

  private likelyClassOf(critic: boolean): ClassRef | null {
    // A loss module (`class DiceLoss(nn.Module)`, a `_Loss` subclass) is a function of a prediction and a target, never
    // the model a training function is given: taking it for the model would make the model's output a loss of one argument.
    const classes = [...this.analysis.classes.values()].filter((c) => this.isModuleClass(c) && !this.isLossClass(c));
    if (classes.length === 0) return null;
    if (critic) {
      const named = classes.filter((c) => /critic|discrim/i.test(c.name));
      if (named.length === 1) return named[0];
      if (named.length > 1) return null;
    }
    // The only top-level model: a Module class that no other class of the file names.
    const src = this.model.source;
    const top = classes.filter((c) => !classes.some((o) => o !== c && new RegExp(`\\b${c.name}\\s*\\(`).test(src.slice(o.node.start, o.node.end))));
    return top.length === 1 && classes.length <= 3 ? top[0] : null;
  }
  /**
   * The `closure` parameter of an optimizer's `step(self, closure=None)` that nothing in the file calls: the closure
   * PyTorch's optimizer API passes, which re-evaluates the model and calls `backward()` (OPTIMIZER_CLOSURE). Only for
   * a class whose bases make it an optimizer and that reads parameters' `.grad` (it needs the gradients the closure
   * computes; a gradient-free optimizer's closure only evaluates the loss). Undefined otherwise.
   * When the optimizer's code is not all in view, whether it reads `.grad` cannot be checked, and the closure is taken
   * as the API documents it: a `step(self, closure)` pasted without its class (a module-level function whose first
   * parameter is `self`), or an optimizer class whose body or `step` is elided (a `...` statement).
   */
  private optimizerClosure(def: PyNode, fnName: string, param: string, ref: FuncRef, callerFrame: Frame): AV | undefined {
    if (param !== 'closure' || fnName !== 'step') return undefined;
    const cls = ref.self && ref.self.classes.length > 0 ? ref.self.classes[0] : (callerFrame.cls ?? this.classOfMethod(def));
    const closure = av({ kind: Kind.FUNC | Kind.LIBINST, lib: [OPTIMIZER_CLOSURE], site: def.id });
    if (!cls) return this.isPastedMethod(def) ? closure : undefined;
    if (!this.libBasesOf(cls).some(isOptimizerBase)) return undefined;
    return this.readsGrad(cls) || this.elided(cls.node) || this.elided(def) ? closure : undefined;
  }

  /** Whether a class or function body has a statement that is only `...` (code left out of a quote). */
  private elided(node: PyNode): boolean {
    const body = field(node, 'body');
    if (!body) return false;
    let found = false;
    walk(body, (n) => {
      if (found || n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'expression_statement') {
        const e = namedChildren(n);
        if (e.length === 1 && e[0].type === 'ellipsis') found = true;
        return false;
      }
      return undefined;
    });
    return found;
  }

  private readonly readsGradCache = new Map<number, boolean>();

  /** Whether a class (or a local base) reads `.grad` of something in its body (`p.grad`, `param.grad.data`). */
  private readsGrad(cls: ClassRef): boolean {
    const go = (c: ClassRef, seen: Set<ClassRef>): boolean => {
      if (seen.has(c)) return false;
      seen.add(c);
      let r = this.readsGradCache.get(c.node.id);
      if (r === undefined) {
        let found = false;
        walk(c.node, (n) => {
          if (found) return false;
          if (n.type === 'attribute' && !(n.parent?.type === 'assignment' && n.field === 'left')) {
            const a = field(n, 'attribute');
            if (a && this.model.textOf(a) === 'grad') found = true;
          }
          return !found;
        });
        r = found;
        this.readsGradCache.set(c.node.id, r);
      }
      return r || c.bases.some((b) => go(b, seen));
    };
    return go(cls, new Set());
  }

  /** A module class that computes a loss: named so (`FocalLoss`, `Criterion`) or derived from torch's `_Loss`. */
  isLossClass(cls: ClassRef): boolean {
    return /loss|criterion/i.test(cls.name) || this.libBasesOf(cls).some((q) => /^torch\.nn\.(?:modules\.loss\.)?_(?:Weighted)?Loss$/.test(q));
  }
  /** Bumped at every class definition; `likelyClass` holds for one version. */
  private classVersion = 0;
  private likelyVersion = -1;
  private readonly likelyClass = new Map<'critic' | 'model', ClassRef | null>();
  private readonly derivativeInputs = new Map<number, Set<Binding>>();

  /**
   * Analyse a call of a function of this file. `args` null means "unknown arguments" (an entry point).
   * Results are memoized per calling context; recursion and depth beyond the limit give UNKNOWN.
   */
  callFunction(ref: FuncRef, args: AV[] | null, kwargs: Map<string, AV>, callerEnv: Env, callerFrame: Frame, site: PyNode): AV {
    if (this.appendix && site !== ref.node && ref.node.start >= this.appendix.segments[0]!.start) {
      const sites = this.analysis.workspaceCalls.get(ref.node);
      if (!sites) this.analysis.workspaceCalls.set(ref.node, [site]);
      else if (!sites.includes(site)) sites.push(site);
      if (recordingOff(callerEnv.recording)) {
        // With where recording was switched off: the finding names one such place and belongs at the calls under it.
        const causes = this.analysis.workspaceOffCalls.get(site);
        if (causes) causes.add(callerEnv.recording.site);
        else this.analysis.workspaceOffCalls.set(site, new Set([callerEnv.recording.site]));
      }
    }
    const r = this.callFunctionInner(ref, args, kwargs, callerEnv, callerFrame, site);
    this.forgetSelfAttributes(callerEnv, callerFrame);
    return r;
  }

  /**
   * `self.<name>` values a method assigned are kept in its environment (under the key `self.<name>`, which no
   * Python name can take), so that they are flow-sensitive like variables: a hidden state carried across the
   * iterations of a training loop in `self.hidden` holds, in the next iteration, the graph the backward just
   * freed, and `self.hidden = self.hidden.detach()` replaces it. A call of another function of the file may
   * assign them too: afterwards they are read again from the class (the join of every assignment).
   */
  private forgetSelfAttributes(env: Env, frame: Frame): void {
    if (!frame.cls) return;
    const cls = frame.cls;
    for (const [k, v] of env.vars) {
      if (!k.startsWith(SELF_KEY_PREFIX)) continue;
      const a = this.attrOf(cls, k.slice(SELF_KEY_PREFIX.length));
      if (a && a !== v) env.set(k, a);
    }
  }

  private callFunctionInner(ref: FuncRef, args: AV[] | null, kwargs: Map<string, AV>, callerEnv: Env, callerFrame: Frame, _site: PyNode): AV {
    const def = ref.node;
    const fnInfo = this.model.functionOf(def);
    if (!fnInfo) return UNKNOWN;
    const recursion = (): AV => {
      this.markAnalysedLater(def);
      return av({ kind: Kind.UNKNOWN, t: combineTensors((args ?? []).map((a) => a.t)) });
    };
    if (callerFrame.depth >= this.maxDepth) return recursion();
    // Parameter values.
    const values = new Map<string, AV>();
    const params = fnInfo.params;
    let offset = 0;
    if (fnInfo.isMethod && params.length > 0 && !this.isStatic(def)) {
      values.set(params[0].name, ref.self ?? (callerFrame.cls ? this.instanceOf(callerFrame.cls) : UNKNOWN));
      offset = 1;
    }
    for (let i = offset; i < params.length; i++) {
      const p = params[i];
      const info = p.param!;
      let v: AV | undefined;
      // An argument nobody passes visibly: anything, possibly a tensor that requires grad (opaque).
      if (args === null) v = this.likelyInstance(p.name) ?? this.optimizerClosure(def, fnInfo.name, p.name, ref, callerFrame) ?? this.ducktypedInstance(def, p.name, null) ?? this.derivativeInput(fnInfo, p) ?? OPAQUE_ARGUMENT;
      else if (info.star === 'args') v = seq(null, args.slice(i - offset).reduce<AV>((a, b) => join(a, b), BOTTOM) || UNKNOWN);
      else if (info.star === 'kwargs') v = av({ kind: Kind.DICT, elem: UNKNOWN });
      else v = kwargs.get(p.name) ?? args[i - offset];
      if (!v) v = this.defaultOf(p.target, callerEnv, callerFrame) ?? UNKNOWN;
      values.set(p.name, v);
    }
    const mode = `${callerEnv.recording.mode}${this.lib.evalDepth > 0 ? 'E' : ''}${this.lib.vmapDepth > 0 ? 'V' : ''}${callerEnv.tapes.join('.')}`;
    const key = `${mode}|${gradsKey(callerEnv)}|${callerEnv.frozen.join('.')}|${args === null ? '*' : [...values.values()].map((v) => contextKey(v)).join(';')}`;
    // A recursive call is analysed in its own context when its arguments differ from every call of the function under
    // way (a helper that detaches a tensor, or calls itself on each element of a list or dict: `detach_all(v) for v in
    // x.values()`), two levels deep at most; otherwise its result keeps its arguments' facts, unknown otherwise.
    const activeKeys = this.active.get(def.id);
    if (activeKeys && (activeKeys.has(key) || activeKeys.size >= 2 || args === null)) return recursion();
    let memo = this.summaries.get(def.id);
    if (!memo) {
      memo = new Map();
      this.summaries.set(def.id, memo);
    }
    const hit = memo.get(key);
    if (hit) {
      if (args !== null) this.applyExitGrads(`${def.id}|${key}`, callerEnv);
      return hit;
    }
    if (memo.size >= this.maxContexts) {
      // Too many contexts: answer with what is known so far (the join of earlier results). For a call whose
      // arguments are visible, the results of other visible calls only: the analysis of the function as an entry
      // point (unknown arguments, `*`) has opaque values that would make every later call's result opaque.
      // Only results of calls in the same recording mode: a helper called many times under `no_grad` (an
      // initialiser) and then with recording on must not be judged by the first calls (nothing recorded there).
      let j = BOTTOM;
      const same = (k: string): boolean => k.startsWith(`${mode}|`);
      for (const [k, r] of memo) if ((args === null || !k.endsWith('|*')) && same(k)) j = join(j, r);
      if (j === BOTTOM) for (const [k, r] of memo) if (same(k)) j = join(j, r);
      if (j === BOTTOM) return recursion();
      return j;
    }
    memo.set(key, UNKNOWN); // provisional (recursion through memo)
    this.analysed.add(def.id);
    if (activeKeys) activeKeys.add(key);
    else this.active.set(def.id, new Set([key]));
    try {
      const scope = fnInfo.scope;
      const closure = this.closures.get(def.id) ?? null;
      const cls = ref.self && ref.self.classes.length > 0 ? ref.self.classes[0] : (callerFrame.cls && fnInfo.isMethod ? callerFrame.cls : null);
      const frame: Frame = {
        fn: def,
        locals: scope.bindings,
        outer: closure && closure.frame.fn !== null ? closure : null,
        returns: BOTTOM,
        loops: [],
        cls: fnInfo.isMethod ? (cls ?? this.classOfMethod(def)) : (closure?.frame.cls ?? null),
        depth: callerFrame.depth + 1,
        exitGrads: [],
      };
      const own = this.recordingFor(def, frame.cls);
      // `@torch.enable_grad()` does not leave inference mode (as its `with` form): a helper so decorated and
      // called from an evaluation hook still records nothing. `no_grad` inside inference mode stays inference.
      const rec = !own ? callerEnv.recording : callerEnv.recording.mode === 'inference' && (own.mode === 'on' || own.mode === 'off') ? callerEnv.recording : own;
      const env = new Env(values, rec, callerEnv.tapes);
      env.grads = callerEnv.grads.copy();
      env.tapeStates = callerEnv.tapeStates.copy();
      env.frozen = callerEnv.frozen;
      for (const [k, v] of values) {
        const b = params.find((p) => p.name === k);
        if (b) this.note(b.target, v);
      }
      const body = field(def, 'body');
      if (body) {
        if (def.type === 'lambda') frame.returns = this.eval(body, env, frame);
        else this.execBlock(body, env, frame);
      }
      if (def.type !== 'lambda' && !env.dead) frame.returns = join(frame.returns, NONE);
      const result = frame.returns === BOTTOM ? NONE : frame.returns;
      memo.set(key, result);
      // What backward() and zeroing did to `.grad` buffers is visible to the caller after the call.
      const exit = Env.deadEnv(env);
      exit.joinIn(env);
      for (const e of frame.exitGrads ?? []) exit.joinIn(e);
      // (An entry point has no caller: its effects must not leak into the module's state.)
      if (!exit.dead && args !== null) {
        this.exitGrads.set(`${def.id}|${key}`, exit.grads);
        // A helper that freezes or unfreezes a model's parameters (`set_requires_grad(net, False)`) does so for its caller.
        this.exitFrozen.set(`${def.id}|${key}`, exit.frozen);
        // A `torch.set_grad_enabled(...)` statement not undone before the return changes the caller's grad mode too
        // (PyTorch's grad mode is global to the thread). A decorator's mode ends with the call.
        // Not from a generator (a `@contextmanager` restores the mode after its `yield`) nor from a function with a
        // `finally` clause (it may restore the mode after a `return` the analysis captured before it).
        if (!own && exit.recording.mode !== rec.mode && !this.yieldsOrFinally(def)) this.exitRecording.set(`${def.id}|${key}`, exit.recording);
        this.applyExitGrads(`${def.id}|${key}`, callerEnv);
      }
      this.lib.afterFunction(def, frame, result, args === null);
      return result;
    } finally {
      const keys = this.active.get(def.id);
      keys?.delete(key);
      if (keys && keys.size === 0) this.active.delete(def.id);
    }
  }

  /** The `.grad` buffers at a function's exit, per calling context (`<def id>|<memo key>`). */
  private readonly exitGrads = new Map<string, PMap<number, GradBuffer>>();

  /** The frozen parameter sites at a function's exit, per calling context (as `exitGrads`). */
  private readonly exitFrozen = new Map<string, readonly number[]>();

  /** A grad mode a function leaves switched by a statement, per calling context (as `exitGrads`). */
  private readonly exitRecording = new Map<string, Recording>();

  private readonly yieldsOrFinallyCache = new Map<number, boolean>();

  /** Whether a function's own body (not nested functions) has a `yield` or a `finally` clause. */
  private yieldsOrFinally(def: PyNode): boolean {
    let r = this.yieldsOrFinallyCache.get(def.id);
    if (r === undefined) {
      r = false;
      const stack = [...def.children];
      while (stack.length > 0 && !r) {
        const n = stack.pop()!;
        if (n.type === 'yield' || n.type === 'finally_clause') r = true;
        else if (n.type !== 'function_definition' && n.type !== 'lambda' && n.type !== 'class_definition') stack.push(...n.children);
      }
      this.yieldsOrFinallyCache.set(def.id, r);
    }
    return r;
  }

  private applyExitGrads(key: string, callerEnv: Env): void {
    const g = this.exitGrads.get(key);
    if (g && !callerEnv.dead) callerEnv.grads = g.copy();
    const f = this.exitFrozen.get(key);
    if (f && !callerEnv.dead) callerEnv.frozen = f;
    const r = this.exitRecording.get(key);
    // Under inference mode a grad-mode switch changes nothing (as `enterContext`).
    if (r && !callerEnv.dead && callerEnv.recording.mode !== 'inference') callerEnv.recording = r;
  }

  private readonly pending = new Set<number>();
  private markAnalysedLater(def: PyNode): void {
    this.pending.add(def.id);
  }

  private isStatic(def: PyNode): boolean {
    const p = def.parent;
    if (!p || p.type !== 'decorated_definition') return false;
    return p.children.some((d) => d.type === 'decorator' && /staticmethod/.test(this.model.textOf(d)));
  }

  private classOfMethod(def: PyNode): ClassRef | null {
    const clsNode = def.parent?.type === 'decorated_definition' ? def.parent.parent?.parent : def.parent?.parent;
    return clsNode ? (this.analysis.classes.get(clsNode.id) ?? null) : null;
  }

  private defaultOf(paramTarget: PyNode, env: Env, frame: Frame): AV | undefined {
    const p = paramTarget.parent;
    if (!p || (p.type !== 'default_parameter' && p.type !== 'typed_default_parameter')) return undefined;
    const v = field(p, 'value');
    return v ? this.eval(v, env, frame) : undefined;
  }

  /**
   * A method pasted without its class: a module-level `def validation_step(self, batch, batch_idx, ...)`.
   * Lightning's evaluation hooks have that signature (`self`, the batch, then `batch_idx` or the older
   * `batch_nb`: LIGHTNING_BATCH_INDEX_PARAMS); nothing
   * else in PyTorch code does, so the hook's grad mode applies to it.
   */
  private isPastedLightningHook(def: PyNode): boolean {
    const names = this.pastedMethodParams(def);
    return names !== null && names.some((n) => LIGHTNING_BATCH_INDEX_PARAMS.has(n));
  }

  /**
   * A method pasted without its class: a function whose first parameter is `self`, defined at module level or inside
   * another function (not in a class body).
   */
  private isPastedMethod(def: PyNode): boolean {
    return this.pastedMethodParams(def, true) !== null;
  }

  /** The parameter names of a module-level (`nested`: or function-local) function whose first parameter is `self`. */
  private pastedMethodParams(def: PyNode, nested = false): string[] | null {
    let top = def.parent;
    if (top?.type === 'decorated_definition') top = top.parent;
    const local = nested && top?.type === 'block' && top.parent?.type === 'function_definition';
    if (top?.type !== 'module' && !local) return null;
    const params = field(def, 'parameters');
    if (!params) return null;
    const names = namedChildren(params).map((p) => this.model.textOf(p.type === 'identifier' ? p : (field(p, 'name') ?? namedChildren(p)[0] ?? p)));
    return names[0] === 'self' ? names : null;
  }

  /** The grad mode a function runs in because of a decorator or a Lightning hook. */
  private recordingFor(def: PyNode, cls: ClassRef | null): Recording | null {
    const r = this.fnRecording.get(def.id);
    if (r) return r;
    const name = this.model.textOf(field(def, 'name') ?? def);
    if (LIGHTNING_EVAL_HOOKS.has(name) && (cls ? this.lightningRuns(cls) : this.isPastedLightningHook(def))) {
      // Whether the file shows `Trainer(inference_mode=False)`.
      return this.model.fileFact('lightning-inference-off')
        ? { mode: 'off', site: field(def, 'name'), why: `Lightning's ${name} (no_grad with Trainer(inference_mode=False))` }
        : { mode: 'inference', site: field(def, 'name'), why: `Lightning's ${name} (inference mode by default)` };
    }
    if ((name === 'forward' || name === 'backward') && cls && this.libBasesOf(cls).some((q) => AUTOGRAD_FUNCTION_BASES.has(q))) {
      return name === 'forward'
        ? { mode: 'off', site: field(def, 'name'), why: "a custom autograd.Function's forward (PyTorch runs it with grad mode off)" }
        : { mode: 'off', site: field(def, 'name'), why: "a custom autograd.Function's backward (grad mode is off there unless the backward pass was called with create_graph=True)" };
    }
    return null;
  }

  // ------------------------------------------------------------------------------------ expressions

  eval(node: PyNode, env: Env, frame: Frame): AV {
    this.lastNode = node;
    this.step();
    const v = this.evalInner(node, env, frame);
    return this.note(node, v);
  }

  private evalInner(node: PyNode, env: Env, frame: Frame): AV {
    switch (node.type) {
      case 'identifier':
        return this.lookup(this.model.textOf(node), env, frame, node);
      case 'parenthesized_expression': {
        const inner = namedChildren(node);
        if (inner.length === 1) return this.eval(inner[0], env, frame);
        let v = UNKNOWN;
        for (const c of inner) v = this.eval(c, env, frame);
        return v;
      }
      case 'integer':
        return av({ kind: Kind.NUMBER, lit: Number(this.model.textOf(node).replace(/_/g, '')) });
      case 'float':
        return av({ kind: Kind.NUMBER, lit: Number(this.model.textOf(node).replace(/_/g, '')), site: -2 });
      case 'true':
        return av({ kind: Kind.BOOL, lit: true });
      case 'false':
        return av({ kind: Kind.BOOL, lit: false });
      case 'none':
        return NONE;
      case 'string':
      case 'concatenated_string': {
        for (const c of node.children) if (c.type === 'interpolation') for (const e of namedChildren(c)) this.eval(e, env, frame);
        const text = this.model.textOf(node);
        const m = /^[rRbBuU]?(['"])([^'"\\]*)\1$/.exec(text);
        return m ? av({ kind: Kind.STRING, lit: m[2] }) : STRING;
      }
      case 'attribute':
        return this.lib.attribute(node, env, frame);
      case 'call':
        return this.lib.call(node, env, frame);
      case 'binary_operator':
        return this.evalBinaryChain(node, env, frame);
      case 'unary_operator': {
        const a = field(node, 'argument');
        const v = a ? this.eval(a, env, frame) : UNKNOWN;
        return this.lib.unary(v, node, env);
      }
      case 'not_operator': {
        const a = field(node, 'argument');
        const v = a ? this.eval(a, env, frame) : UNKNOWN;
        return typeof v.lit === 'boolean' ? av({ kind: Kind.BOOL, lit: !v.lit }) : BOOL;
      }
      case 'boolean_operator': {
        const l = field(node, 'left');
        const r = field(node, 'right');
        const a = l ? this.eval(l, env, frame) : UNKNOWN;
        const b = r ? this.eval(r, env, frame) : UNKNOWN;
        return join(a, b);
      }
      case 'comparison_operator': {
        const operands = namedChildren(node);
        const parts = operands.map((c) => this.eval(c, env, frame));
        // `d.abs() < eps`: what an operand computes only feeds a boolean, so its operations never see a backward pass.
        for (const o of operands) if (o.type !== 'identifier' && o.type !== 'attribute') this.lib.forgetSavesWithin(o, env, frame);
        // `torch.is_tensor(x) != True`, `isinstance(x, T) is False`: a known boolean compared with a literal one.
        const ops = node.children.filter((c) => c.field === 'operators').map((c) => this.model.textOf(c));
        if (parts.length === 2 && ops.length === 1 && typeof parts[0].lit === 'boolean' && typeof parts[1].lit === 'boolean') {
          const same = parts[0].lit === parts[1].lit;
          if (ops[0] === '==' || ops[0] === 'is') return av({ kind: Kind.BOOL, lit: same });
          if (ops[0] === '!=' || ops[0] === 'is not') return av({ kind: Kind.BOOL, lit: !same });
        }
        // `net is not None` / `x is None` where the value is known and cannot be None (a module, an instance, a
        // tensor the code made): the test is decided, and the branch it rules out is skipped.
        if (parts.length === 2 && ops.length === 1 && (ops[0] === 'is' || ops[0] === 'is not')) {
          const other = parts[0].kind === Kind.NONE ? parts[1] : parts[1].kind === Kind.NONE ? parts[0] : null;
          if (other && other.kind !== 0 && (other.kind & (Kind.NONE | Kind.UNKNOWN)) === 0 && (other.kind & (Kind.INST | Kind.LIBINST)) !== 0) {
            return av({ kind: Kind.BOOL, lit: ops[0] === 'is not' });
          }
        }
        return this.lib.comparison(parts, node, env);
      }
      case 'conditional_expression': {
        // `a if c else b`: one of the branches runs; their effects (a tape used, a grad filled) are joined.
        const parts = namedChildren(node);
        const cond = parts[1] ? this.eval(parts[1], env, frame) : UNKNOWN;
        // A condition the analysis knows (a flag the caller passes as a literal): only that branch runs
        // (`nullcontext() if train else torch.no_grad()` called with `train=False`).
        if (cond.lit === true && parts[0]) return this.eval(parts[0], env, frame);
        if (cond.lit === false && parts[2]) return this.eval(parts[2], env, frame);
        const ea = env.copy();
        const eb = env.copy();
        const a = parts[0] ? this.eval(parts[0], ea, frame) : UNKNOWN;
        const b = parts[2] ? this.eval(parts[2], eb, frame) : UNKNOWN;
        this.mergeInto(env, [ea, eb]);
        return join(a, b);
      }
      case 'subscript':
        return this.lib.subscript(node, env, frame);
      case 'tuple':
      case 'list':
      case 'expression_list':
      case 'set': {
        const items: AV[] = [];
        let exact = true;
        for (const c of namedChildren(node)) {
          if (c.type === 'list_splat') {
            exact = false;
            const inner = namedChildren(c)[0];
            if (inner) items.push(this.elementOf(this.eval(inner, env, frame)));
          } else items.push(this.eval(c, env, frame));
        }
        return seq(exact ? items : null, items.reduce<AV>((a, b) => join(a, b), BOTTOM), node.id);
      }
      case 'dictionary': {
        const keys = new Map<string, AV>();
        let elem = BOTTOM;
        for (const c of namedChildren(node)) {
          if (c.type === 'pair') {
            const k = field(c, 'key');
            const vn = field(c, 'value');
            const kv = k ? this.eval(k, env, frame) : UNKNOWN;
            const vv = vn ? this.eval(vn, env, frame) : UNKNOWN;
            if (typeof kv.lit === 'string') keys.set(kv.lit, vv);
            elem = join(elem, vv);
          } else if (c.type === 'dictionary_splat') {
            const inner = namedChildren(c)[0];
            if (inner) elem = join(elem, this.elementOf(this.eval(inner, env, frame)));
          }
        }
        return av({ kind: Kind.DICT, keys, elem: elem === BOTTOM ? UNKNOWN : elem, site: node.id });
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.evalComprehension(node, env, frame);
      case 'lambda': {
        this.closures.set(node.id, { env, frame });
        return av({ kind: Kind.FUNC, fns: [{ node, self: null }], site: node.id });
      }
      case 'named_expression': {
        const name = field(node, 'name');
        const value = field(node, 'value');
        const v = value ? this.eval(value, env, frame) : UNKNOWN;
        if (name) this.setName(this.model.textOf(name), v, env, frame);
        return v;
      }
      case 'await':
      case 'yield':
      case 'list_splat':
      case 'dictionary_splat':
      case 'keyword_argument': {
        let v = UNKNOWN;
        for (const c of namedChildren(node)) v = this.eval(c, env, frame);
        return node.type === 'list_splat' ? v : UNKNOWN;
      }
      case 'ellipsis':
        return av({ kind: Kind.UNKNOWN, lit: '...' });
      case 'slice':
        for (const c of namedChildren(node)) this.eval(c, env, frame);
        return av({ kind: Kind.UNKNOWN, lit: ':' });
      default:
        for (const c of namedChildren(node)) this.eval(c, env, frame);
        return UNKNOWN;
    }
  }

  /** `a + b + c + ...` without recursion on the left spine (a 2,000-term sum must not overflow the stack). */
  private evalBinaryChain(node: PyNode, env: Env, frame: Frame): AV {
    const spine: PyNode[] = [];
    let n: PyNode = node;
    while (n.type === 'binary_operator') {
      spine.push(n);
      const l = field(n, 'left');
      if (!l) break;
      n = l;
    }
    let acc = n.type === 'binary_operator' ? UNKNOWN : this.eval(n, env, frame);
    for (let i = spine.length - 1; i >= 0; i--) {
      const b = spine[i];
      this.step();
      const r = field(b, 'right');
      const rv = r ? this.eval(r, env, frame) : UNKNOWN;
      const opNode = b.children.find((c) => c.field === 'operator');
      const op = opNode ? this.model.textOf(opNode) : '+';
      this.lib.saving = frame;
      acc = this.lib.binary(op, acc, rv, b, env, frame);
      this.lib.saving = null;
      if (i > 0) this.note(b, acc);
    }
    return acc;
  }

  private evalComprehension(node: PyNode, env: Env, frame: Frame): AV {
    // Comprehension variables live in their own scope: bind them in a copy.
    const inner = env.copy();
    for (const c of node.children) {
      if (c.type === 'for_in_clause') {
        const left = field(c, 'left');
        const right = field(c, 'right');
        const iter = right ? this.eval(right, inner, frame) : UNKNOWN;
        if (left) this.assign(left, this.lib.iterate(iter, right), inner, frame, null);
      } else if (c.type === 'if_clause') {
        for (const e of namedChildren(c)) this.eval(e, inner, frame);
      }
    }
    const body = field(node, 'body');
    let elem = UNKNOWN;
    if (body) {
      if (body.type === 'pair') {
        const v = field(body, 'value');
        const k = field(body, 'key');
        if (k) this.eval(k, inner, frame);
        elem = v ? this.eval(v, inner, frame) : UNKNOWN;
      } else elem = this.eval(body, inner, frame);
    }
    // Side effects on outer state (grad buffers, tapes) are kept.
    env.grads = inner.grads;
    env.tapeStates = inner.tapeStates;
    if (node.type === 'dictionary_comprehension') return av({ kind: Kind.DICT, elem, site: node.id });
    return seq(null, elem, node.id);
  }

  /** The value of an element of a container (or of a row of a tensor). */
  elementOf(v: AV): AV {
    if (v.elem) return v.elem;
    if (isKind(v, Kind.TENSOR) && v.t) return tensor({ ...v.t, dims: v.t.dims && v.t.dims.length > 0 ? v.t.dims.slice(1) : null, leafOf: null, mayLeaf: [], leaves: v.t.leafOf !== null || v.t.mayLeaf.length > 0 ? [...new Set([...v.t.leaves, ...v.t.mayLeaf, ...(v.t.leafOf !== null ? [v.t.leafOf] : [])])].sort((a, b) => a - b) : v.t.leaves }, v.site);
    if (isKind(v, Kind.DICT) && v.keys) {
      let j = BOTTOM;
      for (const x of v.keys.values()) j = join(j, x);
      return j === BOTTOM ? UNKNOWN : j;
    }
    // An item of a graph-less value computed from cut tensors (`i, j, d = neighbor_list(np.asarray(pos))`) is
    // graph-less too, and keeps the cuts that say where the graph was lost.
    if (v.t && v.t.cuts.length > 0 && v.t.leaves.length === 0 && v.t.params.length === 0 && (isKind(v, Kind.UNKNOWN) || isKind(v, Kind.ARRAY))) {
      return av({ kind: Kind.UNKNOWN, t: tensorFacts({ cuts: v.t.cuts, opaque: true }), site: v.site });
    }
    return UNKNOWN;
  }

  /** Whether code runs at module level (for messages). */
  isModuleLevel(frame: Frame): boolean {
    return frame.fn === null;
  }

  get numberValue(): AV {
    return NUMBER;
  }

  get moduleState(): Env {
    return this.moduleEnv;
  }

  /** The innermost loop a frame is in. */
  loopOf(frame: Frame): PyNode | null {
    return frame.loops.length > 0 ? frame.loops[frame.loops.length - 1].node : null;
  }
}

export { RECORDING_ON };

/** The names calls in the file use: `f` of `f(...)` and of `x.f(...)`. */
export function calledNamesOf(model: SemanticModel): Set<string> {
  const names = new Set<string>();
  for (const n of nodesOfType(model.tree, 'call')) {
    // Calls of the linted file only: calls in definitions appended from other files (workspace.ts) must not
    // change which of this file's functions are entry points.
    if (n.start >= model.lintedEnd) continue;
    const fn = field(n, 'function');
    if (!fn) continue;
    if (fn.type === 'identifier') names.add(model.textOf(fn));
    else if (fn.type === 'attribute') {
      const a = field(fn, 'attribute');
      if (a) names.add(model.textOf(a));
    }
  }
  return names;
}
