/**
 * A small structural model of hand-written derivative rules: a PyTorch `torch.autograd.Function` subclass (its
 * `forward` inputs, the incoming gradients its `backward` receives, the gradients it returns). Read from the syntax:
 * what a rule visibly returns (a tuple literal, one tensor expression, a name bound once to one of them), which of
 * its values are computed from the incoming gradients.
 */
import { AUTOGRAD_FUNCTION_BASES } from './knowledge/torch';
import { bindingValue, type Binding, type FunctionInfo, type SemanticModel } from './semantic';
import { field, namedChildren, nodesOfType, unparen, type PyNode } from './tree';

export interface TorchCustomFunction {
  cls: PyNode;
  name: string;
  forward: FunctionInfo;
  backward: FunctionInfo;
  /** `setup_context(ctx, inputs, output)` when the Function has one: `forward` then takes no `ctx`. */
  setupContext: FunctionInfo | null;
  /** The forward inputs (its parameters less `ctx`), or null with `*args`/`**kwargs`. */
  inputs: Binding[] | null;
  /** How many inputs have no default value (each call passes at least these). */
  required: number;
  /** `backward`'s `ctx`. */
  ctxParam: Binding | null;
  /** The incoming gradients: `backward`'s parameters after `ctx` (`*grad_outputs` included). */
  gradParams: Binding[];
}

/** The methods a class body defines, by name (the last `def` of a name wins, as in Python). */
export function methodsOf(m: SemanticModel, cls: PyNode): Map<string, FunctionInfo> {
  const out = new Map<string, FunctionInfo>();
  for (const c of field(cls, 'body')?.children ?? []) {
    const def = c.type === 'decorated_definition' ? field(c, 'definition') : c;
    const name = def?.type === 'function_definition' ? field(def, 'name') : null;
    const f = def && name ? m.functionOf(def) : undefined;
    if (f && name) out.set(m.textOf(name), f);
  }
  return out;
}

/** Whether a parameter has a default value (`k=1.0`). */
function hasDefault(p: Binding): boolean {
  const t = p.target.parent?.type;
  return t === 'default_parameter' || t === 'typed_default_parameter';
}

/**
 * The classes of the file that subclass `torch.autograd.Function` directly (by their base's qualified name), with
 * their methods: every question about custom Functions starts here (this file's model below, AGL026's checks).
 */
export function autogradFunctionClasses(m: SemanticModel): { cls: PyNode; methods: Map<string, FunctionInfo> }[] {
  const out: { cls: PyNode; methods: Map<string, FunctionInfo> }[] = [];
  for (const cls of nodesOfType(m.tree, 'class_definition')) {
    const supers = field(cls, 'superclasses');
    if (!supers || !namedChildren(supers).some((b) => AUTOGRAD_FUNCTION_BASES.has(m.qualifiedName(b) ?? ''))) continue;
    out.push({ cls, methods: methodsOf(m, cls) });
  }
  return out;
}

/** The custom `torch.autograd.Function` subclasses defined in the file with a static `forward` and `backward`, modelled. */
export function torchCustomFunctions(m: SemanticModel): TorchCustomFunction[] {
  const out: TorchCustomFunction[] = [];
  for (const { cls, methods } of autogradFunctionClasses(m)) {
    const forward = methods.get('forward');
    const backward = methods.get('backward');
    if (!forward || !backward) continue;
    const setupContext = methods.get('setup_context') ?? null;
    // A classmethod (`@classmethod def forward(cls, ctx, x)`) takes the class first.
    const own = (f: FunctionInfo): Binding[] => (f.decorators.includes('classmethod') ? f.params.slice(1) : f.params);
    if ([forward, backward].some((f) => !f.decorators.includes('staticmethod') && !f.decorators.includes('classmethod'))) continue;
    const fparams = setupContext ? own(forward) : own(forward).slice(1);
    const bparams = own(backward);
    const star = fparams.some((p) => p.param?.star !== 'none');
    const bstar = bparams.length > 0 && bparams[0].param?.star !== 'none';
    const nameNode = field(cls, 'name');
    out.push({
      cls,
      name: nameNode ? m.textOf(nameNode) : '<class>',
      forward,
      backward,
      setupContext,
      inputs: star || (!setupContext && own(forward).length === 0) ? null : fparams,
      required: fparams.filter((p) => !hasDefault(p) && p.param?.star === 'none').length,
      ctxParam: bstar ? null : (bparams[0] ?? null),
      gradParams: bstar ? bparams : bparams.slice(1),
    });
  }
  return out;
}

/** Tensor methods and `torch` functions whose result is a tuple or list of tensors, not one tensor. */
const MANY = /^(?:unstack|dynamic_partition|gradients|custom_gradient|identity_n|while_loop|cond|case|switch_case|split|chunk|unbind|tensor_split|hsplit|vsplit|dsplit|unique|unique_consecutive|sort|topk|kthvalue|max|min|median|mode|nonzero|where|meshgrid|broadcast_tensors|tolist|grad|vjp|jvp|jacobian|hessian|svd|qr|eig|eigh|slogdet|lu|std_mean|var_mean|aminmax|frexp|histogram|gradient|apply)$/;
const TENSOR_METHOD = /^(?:sum|mean|mul|div|add|sub|neg|clone|exp|log|sqrt|pow|abs|sign|t|transpose|permute|reshape|view|view_as|expand|expand_as|contiguous|squeeze|unsqueeze|flatten|masked_fill|clamp|clip|matmul|mm|bmm|float|double|half|to|type_as|reshape_as|repeat|detach|sigmoid|tanh|neg|reciprocal|rsqrt|new_zeros|new_ones|zeros_like|sum_to_size|flip|roll|narrow|select|index_select|gather|scatter|scatter_add|cumsum|diag|tril|triu|outer|dot|norm|prod|amax|amin)$/;
const ARRAY_OP = /^(?:\*|\/|-|@|\*\*|\/\/|\+)$/;

function isTupleLiteral(n: PyNode): boolean {
  const u = unparen(n);
  return u.type === 'tuple' || u.type === 'expression_list' || u.type === 'list' || u.type === 'list_comprehension' || u.type === 'generator_expression';
}

/**
 * Whether an expression is visibly one tensor, not a tuple of gradients: one of `backward`'s incoming gradients
 * (not `*grad_outputs`), a `torch` function or tensor method of one tensor, arithmetic on such a value, or a name bound
 * once in the rule to one of these.
 */
export function visiblyOneTensor(m: SemanticModel, fn: FunctionInfo, gradParams: readonly Binding[], n: PyNode, depth = 0): boolean {
  if (depth > 6) return false;
  const u = unparen(n);
  if (u.type === 'identifier') {
    if (!m.isUse(u)) return false;
    const bs = m.reachingBindings(u);
    if (bs.length !== 1) return false;
    const b = bs[0];
    if (b.kind === 'param') return gradParams.includes(b) && b.param?.star === 'none';
    if (b.kind !== 'assign' || b.scope !== fn.scope || b.path.length > 0 || b.loop) return false;
    const v = bindingValue(b);
    return !!v && v.parent?.type !== 'pattern_list' && visiblyOneTensor(m, fn, gradParams, v, depth + 1);
  }
  if (u.type === 'call') {
    const c = m.call(u);
    if (!c || c.hasStarArgs) return false;
    if (c.qname) {
      const name = c.qname.slice(c.qname.lastIndexOf('.') + 1);
      return /^(?:torch\.(?:special\.|nn\.functional\.)?|tensorflow\.(?:math\.|nn\.|linalg\.)?)[a-z_0-9]+$/.test(c.qname) && !MANY.test(name);
    }
    if (c.method && c.receiver && TENSOR_METHOD.test(c.method)) return visiblyOneTensor(m, fn, gradParams, c.receiver, depth + 1);
    return false;
  }
  if (u.type === 'binary_operator') {
    const op = u.children.find((c) => c.field === 'operator');
    const l = field(u, 'left');
    const r = field(u, 'right');
    if (!op || !l || !r || !ARRAY_OP.test(m.textOf(op)) || isTupleLiteral(l) || isTupleLiteral(r)) return false;
    const lt = visiblyOneTensor(m, fn, gradParams, l, depth + 1);
    const rt = visiblyOneTensor(m, fn, gradParams, r, depth + 1);
    // With a tensor on one side the result is a tensor (a tuple on the other raises): never a tuple of gradients.
    return lt || rt;
  }
  if (u.type === 'unary_operator') {
    const a = field(u, 'argument');
    return !!a && visiblyOneTensor(m, fn, gradParams, a, depth + 1);
  }
  return false;
}

/**
 * The gradients a `return` of `backward` visibly gives: the items of a tuple literal (also through a name bound once
 * to one), or one tensor expression; null when it cannot be told (a name bound to a call, a tuple built by code).
 */
export function returnedGradients(m: SemanticModel, fn: FunctionInfo, gradParams: readonly Binding[], ret: PyNode): PyNode[] | null {
  let u = unparen(ret);
  if (u.type === 'identifier' && m.isUse(u)) {
    const bs = m.reachingBindings(u);
    if (bs.length === 1 && bs[0].kind === 'assign' && bs[0].scope === fn.scope && bs[0].path.length === 0 && !bs[0].loop) {
      const v = bindingValue(bs[0]);
      if (v && v.parent?.type !== 'pattern_list' && (unparen(v).type === 'tuple' || unparen(v).type === 'expression_list')) u = unparen(v);
    }
  }
  if (u.type === 'tuple' || u.type === 'expression_list') {
    const items = namedChildren(u);
    return items.some((i) => i.type === 'list_splat' || i.type === 'parenthesized_list_splat') ? null : items;
  }
  return visiblyOneTensor(m, fn, gradParams, u) ? [u] : null;
}

/**
 * Whether a returned gradient is deliberately none or zero: `None`, `0`, `torch.zeros_like(x)`, `x.new_zeros(...)`, or a
 * name every binding of which (reaching the use) is one of these (`d_y = None` before branches that leave it).
 */
export function deliberatelyZero(m: SemanticModel, n: PyNode, depth = 0): boolean {
  const u = unparen(n);
  if (u.type === 'identifier' && m.isUse(u) && depth < 4) {
    const bs = m.reachingBindings(u);
    return bs.length > 0 && bs.every((b) => b.kind === 'assign' && b.path.length === 0 && !!bindingValue(b) && deliberatelyZero(m, bindingValue(b)!, depth + 1));
  }
  if (u.type === 'none') return true;
  if ((u.type === 'integer' || u.type === 'float') && Number(m.textOf(u)) === 0) return true;
  if (u.type === 'tuple' || u.type === 'list') return namedChildren(u).every((c) => deliberatelyZero(m, c, depth + 1));
  if (u.type === 'binary_operator' && u.children.some((c) => c.field === 'operator' && c.type === '*')) {
    const sides = [field(u, 'left'), field(u, 'right')];
    if (sides.some((x) => x && /^(?:integer|float)$/.test(unparen(x).type) && Number(m.textOf(unparen(x))) === 0)) return true;
  }
  if (u.type === 'call') {
    const c = m.call(u);
    if (c?.qname && /(?:^|\.)(?:zeros|zeros_like)$/.test(c.qname)) return true;
    if (c?.method && /^(?:new_zeros|zero_)$/.test(c.method)) return true;
    if (c?.method === 'fill_' && c.positional[0] && deliberatelyZero(m, c.positional[0])) return true;
  }
  return false;
}

/** The identifier a target or mutated value is rooted at (`g` for `g`, `g[mask]`, `g.data`), or null. */
function rootName(n: PyNode): PyNode | null {
  let u = unparen(n);
  while (u.type === 'subscript' || u.type === 'attribute') {
    const base = field(u, u.type === 'subscript' ? 'value' : 'object');
    if (!base) return null;
    u = unparen(base);
  }
  return u.type === 'identifier' ? u : null;
}

function identifiersIn(n: PyNode, out: PyNode[] = []): PyNode[] {
  if (n.type === 'identifier' && n.field !== 'attribute') out.push(n);
  for (const c of n.children) identifiersIn(c, out);
  return out;
}

/** Attributes of a tensor that say nothing of its values. */
const METADATA_ATTRIBUTE = /^(?:shape|dtype|device|ndim|layout|is_cuda|requires_grad)$/;
/** Methods of a tensor whose result does not depend on its values (the `new_*` constructors only take its dtype/device). */
const METADATA_METHOD = /^(?:size|dim|ndimension|numel|nelement|get_shape|new|new_zeros|new_ones|new_empty|new_full|new_tensor|type|element_size|is_contiguous)$/;
/** Functions whose result takes only the shape/dtype of their first argument (`torch.ones_like(g)`, `tf.shape(g)`, `len(g)`). */
const METADATA_FUNCTION = /(?:^|\.)(?:(?:ones|zeros|empty|full|rand|randn|randint)_like|shape|rank|size|ndim|len)$/;

/**
 * Whether an identifier is read only for its metadata (shape, dtype, device), not its values: `g.shape`, `g.size(0)`,
 * `g.new_ones(...)`, `torch.ones_like(g)`, `tf.shape(g)`, `len(g)`. A gradient built from such a read carries none of
 * the incoming gradient's values.
 */
export function metadataRead(m: SemanticModel, id: PyNode): boolean {
  let n = id;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'attribute' && n.field === 'object') {
    const a = field(p, 'attribute');
    if (!a) return false;
    if (METADATA_ATTRIBUTE.test(m.textOf(a))) return true;
    const call = p.parent;
    return call?.type === 'call' && p.field === 'function' && METADATA_METHOD.test(m.textOf(a));
  }
  if (p.type === 'argument_list' && p.parent?.type === 'call' && namedChildren(p)[0] === n) {
    const c = m.call(p.parent);
    return !!c && !c.method && !!c.qname && METADATA_FUNCTION.test(c.qname);
  }
  return false;
}

/** The identifiers of an expression that are read for their values (not only for their shape or dtype). */
function valueIdentifiersIn(m: SemanticModel, n: PyNode): PyNode[] {
  return identifiersIn(n).filter((i) => !metadataRead(m, i));
}

/**
 * What a statement may write: the names it assigns (every name of its targets), the receivers of the method calls it
 * makes (in place or on containers: `gi.mul_(g)`, `grads.append(...)`; not of the pure tensor methods), and the names
 * it passes to functions that are not `torch`'s (a helper may fill them), or as `out=`.
 */
function writesOf(m: SemanticModel, stmt: PyNode): PyNode[] {
  const out: PyNode[] = [];
  const visit = (n: PyNode): void => {
    if (n.type === 'lambda' || n.type === 'function_definition') return;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = field(n, 'left');
      if (left) out.push(...identifiersIn(left));
    }
    if (n.type === 'call') {
      const c = m.call(n);
      const pure = !!c && ((c.qname ?? '').startsWith('torch.') || (!!c.method && TENSOR_METHOD.test(c.method) && !c.method.endsWith('_')));
      if (c && !pure) {
        // A method may change its receiver; a helper or an extension kernel may fill its arguments.
        for (const a of [...(c.receiver ? [c.receiver] : []), ...c.positional, ...c.keywords.values()]) {
          const r = rootName(a);
          if (r) out.push(r);
        }
      }
      const o = c?.keywords.get('out');
      if (o) out.push(...identifiersIn(o));
    }
    for (const ch of n.children) visit(ch);
  };
  visit(stmt);
  return out;
}

/**
 * The names of a rule that are (or may be) computed from its incoming gradients: the gradient parameters, and what a
 * statement that reads one of them writes (`writesOf`: `gi = x.clone(); gi.mul_(g)` makes `gi` one; so does a nested
 * function that reads one, or a loop over them). Control dependence is not followed. With `valuesOnly`, a read of only
 * a name's shape, dtype or device (`metadataRead`) does not make what it writes derived from it.
 */
export function gradientDerivedNames(m: SemanticModel, fn: FunctionInfo, gradParams: readonly Binding[], valuesOnly = false): Set<string> {
  const names = new Set(gradParams.map((p) => p.name));
  const body = fn.node.type === 'lambda' ? null : field(fn.node, 'body');
  if (!body) return names;
  const units: { reads: string[]; writes: string[] }[] = [];
  const unit = (reads: PyNode, writes: PyNode[]): void => {
    units.push({ reads: (valuesOnly ? valueIdentifiersIn(m, reads) : identifiersIn(reads)).map((i) => m.textOf(i)), writes: writes.map((i) => m.textOf(i)) });
  };
  const visit = (n: PyNode): void => {
    for (const c of n.children) {
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'decorated_definition') {
        const def = c.type === 'decorated_definition' ? field(c, 'definition') : c;
        const name = def ? field(def, 'name') : null;
        unit(c, name ? [name] : []);
        continue;
      }
      if (c.type === 'for_statement') {
        const left = field(c, 'left');
        const right = field(c, 'right');
        if (left && right) unit(right, identifiersIn(left));
      } else if (c.type === 'with_statement') {
        const items = c.children.find((x) => x.type === 'with_clause');
        if (items) unit(items, identifiersIn(items));
      } else if (/_statement$/.test(c.type) && !/^(?:if|while|try|for|with|match)_statement$/.test(c.type)) {
        unit(c, writesOf(m, c));
        continue;
      }
      visit(c);
    }
  };
  visit(body);
  let changed = true;
  while (changed) {
    changed = false;
    for (const u of units) {
      if (!u.reads.some((x) => names.has(x))) continue;
      for (const x of u.writes) {
        if (!names.has(x)) {
          names.add(x);
          changed = true;
        }
      }
    }
  }
  return names;
}

/** Whether an expression reads a name computed from the incoming gradients (with `valuesOnly`, for more than its metadata). */
export function readsAny(m: SemanticModel, n: PyNode, names: ReadonlySet<string>, valuesOnly = false): boolean {
  if (n.type === 'identifier' && n.field !== 'attribute' && names.has(m.textOf(n)) && !(valuesOnly && metadataRead(m, n))) return true;
  return n.children.some((c) => readsAny(m, c, names, valuesOnly));
}

/**
 * What a custom Function's `forward` saves for its backward with `ctx.save_for_backward(...)`: whether its returned
 * value (a name it returns, also as the one tensor of a tuple return) and which of its inputs (their positions among
 * the inputs, as `apply` receives them). Changing such a tensor in place after `apply` makes the backward raise
 * ("one of the variables needed for gradient computation has been modified by an inplace operation"). Only names saved
 * as they are (not views or copies of them), in a forward with `ctx` (not `setup_context`).
 */
export function savedByForward(m: SemanticModel, forwardDef: PyNode): { output: boolean; inputs: number[] } | null {
  const fwd = m.functionOf(forwardDef);
  if (!fwd || fwd.params.length < 2 || fwd.params.some((p) => p.param?.star !== 'none')) return null;
  const own = fwd.decorators.includes('classmethod') ? fwd.params.slice(1) : fwd.params;
  if (!fwd.decorators.includes('staticmethod') && !fwd.decorators.includes('classmethod')) return null;
  const ctxName = own[0]?.name;
  const inputs = own.slice(1);
  const saved = new Set<string>();
  for (const c of m.calls) {
    if (c.method !== 'save_for_backward' || !c.receiver || m.enclosingFunction(c.node) !== fwd || m.textOf(unparen(c.receiver)) !== ctxName) continue;
    for (const a of c.positional) if (unparen(a).type === 'identifier') saved.add(m.textOf(unparen(a)));
  }
  if (saved.size === 0) return { output: false, inputs: [] };
  // An input is saved as it is when its name is saved and never rebound in forward.
  const rebound = (name: string): boolean => m.bindings.some((b) => b.name === name && b.kind !== 'param' && b.scope === fwd.scope);
  const savedInputs = inputs.flatMap((p, i) => (saved.has(p.name) && !rebound(p.name) ? [i] : []));
  const output = fwd.returns.length > 0 && fwd.returns.every((r) => {
    const u = unparen(r);
    return u.type === 'identifier' && saved.has(m.textOf(u)) && !inputs.some((p) => p.name === m.textOf(u));
  });
  return { output, inputs: savedInputs };
}
