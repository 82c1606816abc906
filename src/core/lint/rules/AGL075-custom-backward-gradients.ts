/**
 * AGL075 custom-backward-gradients: a hand-written derivative rule does not return the gradients its framework needs:
 * the `backward` of a custom `torch.autograd.Function`, and (the incoming-gradient question only) a JAX `custom_vjp`
 * backward rule or `custom_jvp` JVP rule and a `@tf.custom_gradient` gradient function. Three questions to the model of the Function (`derivative-rules.ts`):
 * - how many gradients a `return` visibly gives against the number of `forward` inputs (PyTorch raises "function
 *   XBackward returned an incorrect number of gradients (expected 2, got 1)");
 * - whether a returned gradient is computed from the incoming gradient at all (the chain rule: every gradient is
 *   `grad_output` times the local derivative; one that never reads it ignores the loss);
 * - for elementwise straight-line code, whether each gradient equals `grad_output · ∂forward/∂input`, compared with
 *   central differences of `forward` at a few points (`scalar-eval.ts`, as AGL072 does for JAX rules).
 */
import { deliberatelyZero, gradientDerivedNames, metadataRead, readsAny, returnedGradients, torchCustomFunctions, visiblyOneTensor, type TorchCustomFunction } from '../derivative-rules';
import type { Rule, RuleContext } from '../rule';
import { evaluateExpression, leaves, type Hooks, type Val } from '../scalar-eval';
import { TF_CUSTOM_GRADIENT } from '../knowledge/tensorflow';
import { checkTensorFlowSignatures, valueAndGrad } from '../tf-custom-gradient';
import { bindingValue, type Binding, type FunctionInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { customVjpOf, decoratedWith, functionAt, jvpRules } from '../custom-rules';
import { close, fmt, isIdentity, numericColumn, pointsFor } from '../numeric-derivative';

/** `@jax.custom_jvp` itself (with `nondiff_argnums` through `partial` the rule takes more arguments: not read). */
const JAX_CUSTOM_JVP = new Set(['jax.custom_jvp']);

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? '' : 's'}`;
}

/** The arguments of the calls of a Function's `apply` (`Fn.apply(...)`, or through a name bound to `Fn.apply`). */
function applyCalls(m: SemanticModel, fn: TorchCustomFunction): (readonly PyNode[])[] {
  const out: (readonly PyNode[])[] = [];
  const isApply = (n: PyNode): boolean => {
    const u = unparen(n);
    if (u.type === 'attribute') {
      const o = field(u, 'object');
      const a = field(u, 'attribute');
      return !!o && !!a && m.textOf(a) === 'apply' && unparen(o).type === 'identifier' && m.textOf(unparen(o)) === fn.name;
    }
    if (u.type !== 'identifier' || !m.isUse(u)) return false;
    const bs = m.reachingBindings(u);
    const v = bs.length === 1 ? bindingValue(bs[0]) : null;
    return !!v && bs[0].path.length === 0 && unparen(v).type === 'attribute' && isApply(v);
  };
  for (const c of m.calls) {
    const callee = field(c.node, 'function');
    if (callee && !c.hasStarArgs && isApply(callee)) out.push(c.positional);
  }
  return out;
}

const NON_TENSOR_METHOD = /^(?:item|size|dim|numel|tolist|nelement|element_size|stride|data_ptr|is_contiguous)$/;
const NON_TENSOR_BUILTIN = new Set(['int', 'float', 'len', 'bool', 'str', 'tuple', 'list', 'dict']);

/** What a value visibly is when it is not a tensor: a Python number, string, tuple, size... (null: a tensor or unknown). */
function nonTensorKind(m: SemanticModel, fn: TorchCustomFunction, n: PyNode, calls: (readonly PyNode[])[], depth = 0): string | null {
  const u = unparen(n);
  if (depth > 3) return null;
  switch (u.type) {
    case 'integer':
      return 'int';
    case 'float':
      return 'float';
    case 'string':
    case 'concatenated_string':
      return 'str';
    case 'true':
    case 'false':
      return 'bool';
    case 'tuple':
    case 'list':
    case 'dictionary':
      return u.type === 'dictionary' ? 'dict' : u.type;
    case 'attribute': {
      const a = field(u, 'attribute');
      return a && /^(?:shape|dtype|device|ndim|is_cuda|requires_grad)$/.test(m.textOf(a)) ? `the ${m.textOf(a)} attribute` : null;
    }
    case 'call': {
      const c = m.call(u);
      if (!c) return null;
      if (c.method && NON_TENSOR_METHOD.test(c.method)) return `\`.${c.method}()\``;
      if (!c.method && c.qname && NON_TENSOR_BUILTIN.has(c.qname)) return `\`${c.qname}(...)\``;
      return null;
    }
    case 'binary_operator': {
      // Arithmetic of two Python numbers is a Python number (`x.norm().item() + eps`).
      const l = field(u, 'left');
      const r = field(u, 'right');
      const num = (k: string | null): boolean => !!k && /^(?:int|float|bool|`\.item\(\)`|`\.numel\(\)`|`\.dim\(\)`|`int\(\.\.\.\)`|`float\(\.\.\.\)`|`len\(\.\.\.\)`|a Python number)$/.test(k);
      return l && r && num(nonTensorKind(m, fn, l, calls, depth + 1)) && num(nonTensorKind(m, fn, r, calls, depth + 1)) ? 'a Python number' : null;
    }
    case 'identifier': {
      if (!m.isUse(u)) return null;
      const bs = m.reachingBindings(u);
      if (bs.length !== 1) return null;
      const b = bs[0];
      if (b.kind === 'param') return inputKind(m, fn, b, calls, depth);
      const v = b.kind === 'assign' && b.path.length === 0 && b.scope === fn.forward.scope ? bindingValue(b) : null;
      return v ? nonTensorKind(m, fn, v, calls, depth + 1) : null;
    }
    default:
      return null;
  }
}

/** What a forward input is when every `apply` call of the file passes the same kind of non-tensor (or leaves its default). */
function inputKind(m: SemanticModel, fn: TorchCustomFunction, b: Binding, calls: (readonly PyNode[])[], depth = 0): string | null {
  if (!fn.inputs?.includes(b)) return null;
  const i = fn.inputs.indexOf(b);
  const def = /default_parameter$/.test(b.target.parent?.type ?? '') ? field(b.target.parent!, 'value') : null;
  const kinds = calls.map((args) => (args[i] ? nonTensorKind(m, fn, args[i], [], depth + 1) : def ? nonTensorKind(m, fn, def, [], depth + 1) : null));
  return kinds.length > 0 && kinds.every((k) => k !== null) && new Set(kinds).size === 1 ? kinds[0] : null;
}

/** `ctx.save_for_backward(...)` of something that is not a tensor: PyTorch raises a TypeError in forward. */
function checkSavedNonTensors(ctx: RuleContext, fn: TorchCustomFunction): boolean {
  const m = ctx.model;
  const saver = fn.setupContext ?? fn.forward;
  const calls = applyCalls(m, fn);
  for (const c of m.calls) {
    if (c.method !== 'save_for_backward' || m.enclosingFunction(c.node) !== saver || c.hasStarArgs) continue;
    for (const [i, a] of c.positional.entries()) {
      const kind = nonTensorKind(m, fn, a, calls);
      if (!kind) continue;
      ctx.report({
        node: a,
        message:
          `The custom autograd Function \`${fn.name}\` saves \`${ctx.text(a).replace(/\s+/g, ' ')}\` with \`save_for_backward\`, but it is not a ` +
          `tensor (${kind}): \`save_for_backward\` keeps only tensors (and \`None\`), and PyTorch raises "save_for_backward can only save ` +
          `variables, but argument ${i} is of type ..." when the Function is applied. Keep it as an attribute of \`ctx\` instead ` +
          `(\`ctx.${/^[A-Za-z_]\w*$/.test(ctx.text(a)) ? ctx.text(a) : 'value'} = ...\`).`,
        related: [{ node: c.node, message: 'saved here' }],
      });
      return true;
    }
  }
  return false;
}

/**
 * A gradient other than `None` for an input that is not a tensor (a number every `apply` call of the file passes, or
 * the default): PyTorch raises "returned a gradient different than None at position 2, but the corresponding forward
 * input was not a Variable" (even for a zero tensor).
 */
function checkGradientOfNonTensor(ctx: RuleContext, fn: TorchCustomFunction): boolean {
  const m = ctx.model;
  if (!fn.inputs) return false;
  const calls = applyCalls(m, fn);
  if (calls.length === 0) return false;
  const kinds = fn.inputs.map((p) => inputKind(m, fn, p, calls));
  for (const r of fn.backward.returns) {
    const items = returnedGradients(m, fn.backward, fn.gradParams, r);
    if (!items || items.length !== fn.inputs.length) continue;
    for (const [i, item] of items.entries()) {
      const kind = kinds[i];
      if (!kind || gradientValue(m, fn.backward, item) === 'none') continue;
      ctx.report({
        node: item,
        message:
          `The backward of the custom autograd Function \`${fn.name}\` returns \`${ctx.text(item).replace(/\s+/g, ' ')}\` as the gradient of ` +
          `\`${fn.inputs[i].name}\`, which is not a tensor where \`${fn.name}.apply\` is called (${kind}): PyTorch accepts only \`None\` ` +
          `there and raises "function ${fn.name}Backward returned a gradient different than None at position ${i + 1}, but the ` +
          'corresponding forward input was not a Variable" (even for zeros). Return `None` for it.',
        related: [{ node: fn.inputs[i].target, message: 'the input' }],
      });
      return true;
    }
  }
  return false;
}

function checkCount(ctx: RuleContext, fn: TorchCustomFunction): boolean {
  const m = ctx.model;
  if (!fn.inputs) return false;
  const total = fn.inputs.length;
  for (const r of fn.backward.returns) {
    const items = returnedGradients(m, fn.backward, fn.gradParams, r);
    if (!items) continue;
    const n = items.length;
    const extra = items.slice(total).filter((i) => unparen(i).type !== 'none');
    if (n >= fn.required && extra.length === 0) continue;
    const expected = fn.required === total ? String(total) : `${fn.required} to ${total}`;
    const names = fn.inputs.map((p) => `\`${p.name}\``).join(', ');
    ctx.report({
      node: r,
      message:
        `The backward of the custom autograd Function \`${fn.name}\` returns ${plural(n, 'gradient')}, but its forward takes ` +
        `${plural(total, 'input')} (${names}): PyTorch needs one gradient per forward input, \`None\` for an input that needs none ` +
        `(a non-tensor argument, a tensor that does not require grad), and raises "function ${fn.name}Backward returned an incorrect ` +
        `number of gradients (expected ${expected}, got ${n})" when the Function's output is differentiated. ` +
        (n < fn.required ? `Return ${fn.required === 1 ? 'one gradient' : `a tuple of ${fn.required}`}, with \`None\` where there is no gradient.` : 'Drop the extra gradients (or make them `None`).'),
      related: [{ node: fn.forward.node, message: 'the forward inputs are declared here' }],
    });
    return true;
  }
  return false;
}

/**
 * A hand-written derivative rule of any framework, as the incoming-gradient question sees it: the rule, its incoming
 * (co)tangent parameters, and which returned items are gradients of which inputs.
 */
interface IncomingRule {
  rule: FunctionInfo;
  gradParams: Binding[];
  /** How messages name the rule: "The backward of the custom autograd Function `F`". */
  what: string;
  /** "gradient", "cotangent" or "tangent". */
  kind: string;
  /**
   * Where a local derivative comes from: the rule's other parameters (`ctx`, the residuals, the primals). A returned value
   * computed from none of them (a global, a queue) is not judged. Null: from anywhere (TensorFlow's closures).
   */
  sources: Binding[] | null;
  /** The returned gradients of a `return`, with the input each is for (null: not known). */
  items(ret: PyNode): { node: PyNode; input: string | null }[];
}

function checkIgnoresIncoming(ctx: RuleContext, r: IncomingRule): boolean {
  const m = ctx.model;
  if (r.gradParams.length === 0) return false;
  // A backward that back-propagates through a graph of its own (`torch.autograd.backward(out, grad_output)`) hands the
  // gradient over in the `.grad` of leaves: not followed.
  // Likewise one that differentiates inside (`tape.gradient(...)`, `jax.grad(...)`, `torch.autograd.grad(...)`): a
  // gradient taken there of a graph recorded elsewhere is a deliberate replacement.
  if (m.calls.some((c) => m.enclosingFunction(c.node) === r.rule && (/^(?:torch\.autograd\.(?:backward|grad)|jax\.(?:grad|vjp|value_and_grad)|tensorflow\.gradients)$/.test(c.qname ?? '') || /^(?:backward|gradient|jacobian|batch_jacobian)$/.test(c.method ?? '')))) return false;
  // Derived from the incoming gradient's values: one read only for its shape or dtype (`torch.ones_like(g)`,
  // `tf.reshape(1, dy.shape)`) hands back a constant, not the chain rule's product.
  const derived = gradientDerivedNames(m, r.rule, r.gradParams, true);
  const shaped = gradientDerivedNames(m, r.rule, r.gradParams);
  const fromSources = r.sources ? gradientDerivedNames(m, r.rule, r.sources) : null;
  // A rule that never reads its incoming gradient returns none computed from it: a residual handed back unchanged (a
  // gradient precomputed in the forward pass and saved) is then the whole gradient, not state riding beside it. Unless
  // the parameter is named as unused (`_`, `_g`): Flax's fp8 rules take the cotangent as `_` and hand updated scales back.
  const readsIncoming = r.gradParams.every((p) => p.name.startsWith('_')) || readsIncomingGradient(m, r.rule, r.gradParams);
  for (const ret of r.rule.returns) {
    for (const { node: item, input } of r.items(ret)) {
      if (deliberatelyZero(m, item) || readsAny(m, item, derived, true) || notAGradient(m, item, readsIncoming ? r.gradParams : null)) continue;
      if (fromSources && !readsAny(m, item, fromSources) && !readsAny(m, item, shaped)) continue;
      const gname = r.gradParams.map((p) => `\`${p.name}\``).join(', ');
      ctx.report({
        node: item,
        message:
          `${r.what} returns \`${ctx.text(item).replace(/\s+/g, ' ')}\` as the ${r.kind} of ${input ? `\`${input}\`` : r.kind === 'tangent' ? 'its output' : 'an input'}, which is not ` +
          `computed from the incoming ${r.kind} ${gname} at all: by the chain rule each ${r.kind} is the incoming one times the local ` +
          `derivative, so this one ignores the loss (its size and sign do not follow what is being minimized${readsIncoming ? '' : `; the rule never reads the values of ${gname}, so scaling or negating the loss, a weight, \`GradScaler\` or gradient accumulation change nothing`}) and everything ` +
          `upstream is trained on it. Multiply the local derivative by the incoming ${r.kind}, or return \`None\` (a zero) for an ` +
          'input that has none.',
        related: [{ node: r.gradParams[0].target, message: `the incoming ${r.kind}` }],
      });
      return true;
    }
  }
  return false;
}

/** The items of a returned tuple literal (through a name bound once to one), or the value itself. */
function tupleItems(m: SemanticModel, fn: FunctionInfo, ret: PyNode): PyNode[] {
  const items = returnedGradients(m, fn, [], ret) ?? concatenatedItems(ret);
  if (items) return items;
  return containsNone(ret) ? [] : [ret];
}

function torchRule(m: SemanticModel, fn: TorchCustomFunction): IncomingRule {
  return {
    rule: fn.backward,
    gradParams: fn.gradParams,
    sources: fn.backward.params.filter((p) => !fn.gradParams.includes(p)),
    what: `The backward of the custom autograd Function \`${fn.name}\``,
    kind: 'gradient',
    // A return that is not visibly a tuple or one tensor is one value for this question: a tuple that reads no incoming
    // gradient holds none computed from it either.
    items: (ret) => {
      const visible = returnedGradients(m, fn.backward, fn.gradParams, ret);
      const concat = visible ? null : concatenatedItems(ret);
      const list = visible ?? concat ?? (containsNone(ret) ? [] : [ret]);
      // After an operand of unknown length (`+ ctx.grads`) the positions no longer name inputs.
      const known = concat ? concat.findIndex((x) => unparen(x).parent?.type !== 'tuple') : -1;
      return list.map((node, i) => ({ node, input: known >= 0 && i >= known ? null : (fn.inputs?.[i]?.name ?? null) }));
    },
  };
}

/** JAX: the backward rules of `custom_vjp` functions (`f.defvjp(fwd, bwd)`) and the JVP rules of `custom_jvp` ones. */
function jaxRules(m: SemanticModel): IncomingRule[] {
  const out: IncomingRule[] = [];
  for (const c of m.calls) {
    if (c.method !== 'defvjp' || !c.receiver || c.hasStarArgs || c.hasKwargs) continue;
    const cv = customVjpOf(m, c.receiver);
    const bwd = functionAt(m, c.positional[1] ?? c.keywords.get('bwd'));
    if (!cv || !bwd || bwd.params.length < 2 || bwd.params.some((p) => p.param?.star !== 'none') || out.some((o) => o.rule === bwd)) continue;
    const diff = cv.f.params.filter((_p, i) => !cv.nondiff.includes(i));
    out.push({
      rule: bwd,
      gradParams: [bwd.params[bwd.params.length - 1]],
      sources: bwd.params.slice(0, -1),
      what: `The backward rule \`${bwd.name}\` of the custom_vjp function \`${ctxText(m, c.receiver)}\``,
      kind: 'cotangent',
      items: (ret) => tupleItems(m, bwd, ret).map((node, i) => ({ node, input: cv.diffArgs !== null ? (diff[i]?.name ?? null) : null })),
    });
  }
  for (const f of m.functions) {
    if (f.node.type === 'lambda' || !decoratedWith(m, f, JAX_CUSTOM_JVP)) continue;
    for (const { rule } of jvpRules(m, f)) {
      if (rule.params.length !== 2 || rule.params.some((p) => p.param?.star !== 'none')) continue;
      out.push({
        rule,
        gradParams: [rule.params[1]],
        sources: [rule.params[0]],
        what: `The JVP rule \`${rule.name}\` of the custom_jvp function \`${f.name}\``,
        kind: 'tangent',
        items: (ret) => {
          const u = unparen(ret);
          const pair = u.type === 'tuple' || u.type === 'expression_list' ? namedChildren(u) : null;
          return pair && pair.length === 2 ? [{ node: pair[1], input: null }] : [];
        },
      });
    }
  }
  return out;
}

/**
 * TensorFlow's count: a gradient function without `variables` must return one gradient per argument of the
 * `@tf.custom_gradient` function (TensorFlow flattens what it returns and raises "custom_gradient function expected to
 * return N gradients, but returned M instead"). Counted where each returned item is visibly one tensor or `None`.
 */
function checkTensorFlowCount(ctx: RuleContext, outer: FunctionInfo, grad: FunctionInfo): boolean {
  const m = ctx.model;
  if (outer.isMethod || outer.params.some((p) => p.param?.star !== 'none' || /default_parameter$/.test(p.target.parent?.type ?? ''))) return false;
  if (grad.params.some((p) => p.name === 'variables' || p.param?.star === 'kwargs')) return false;
  const n = outer.params.length;
  for (const r of grad.returns) {
    const u = unparen(r);
    // A list is flattened like a tuple (`return []` for one input: no gradient at all, tensorflow issue 26048).
    const items = u.type === 'tuple' || u.type === 'expression_list' || u.type === 'list' ? namedChildren(u) : [u];
    if (!items.every((i) => unparen(i).type === 'none' || visiblyOneTensor(m, grad, grad.params, i))) continue;
    if (items.length === n) continue;
    // A list of more gradients than arguments may be one per tensor of a list argument (`def f(xs)`, `return [dy, dy]`):
    // only fewer is certain.
    if (u.type === 'list' && items.length > n) continue;
    ctx.report({
      node: r,
      message:
        `The gradient function \`${grad.name}\` of the @tf.custom_gradient function \`${outer.name}\` returns ${plural(items.length, 'gradient')}, ` +
        `but \`${outer.name}\` takes ${plural(n, 'argument')} (${outer.params.map((p) => `\`${p.name}\``).join(', ')}): TensorFlow needs one gradient per ` +
        `argument (\`None\` for one without) and raises "custom_gradient function expected to return ${n} gradients, but returned ` +
        `${items.length} instead" when \`${outer.name}\` is differentiated.`,
      related: [{ node: outer.node, message: `\`${outer.name}\`'s arguments are declared here` }],
    });
    return true;
  }
  return false;
}

/** TensorFlow: the gradient functions `@tf.custom_gradient` functions return (`return y, grad`). */
function tensorFlowRules(ctx: RuleContext): IncomingRule[] {
  const m = ctx.model;
  const out: IncomingRule[] = [];
  for (const outer of m.functions) {
    if (outer.node.type === 'lambda' || !decoratedWith(m, outer, TF_CUSTOM_GRADIENT)) continue;
    for (const pair of valueAndGrad(outer)) {
      const g = unparen(pair.grad);
      const grad = g.type === 'lambda' ? m.functionOf(g) : g.type === 'identifier' ? functionAt(m, g) : undefined;
      // A gradient function that is itself a `@tf.custom_gradient` returns `(gradient, second-order function)`: AGL053's.
      if (!grad || out.some((o) => o.rule === grad) || decoratedWith(m, grad, TF_CUSTOM_GRADIENT)) continue;
      // `variables` is the keyword TensorFlow passes the variables the function used by: not an upstream gradient.
      const gradParams = grad.params.filter((p) => p.name !== 'variables' && p.param?.star !== 'kwargs');
      if (checkTensorFlowCount(ctx, outer, grad)) {
        out.push({ rule: grad, gradParams: [], sources: null, what: '', kind: 'gradient', items: () => [] });
        continue;
      }
      out.push({
        rule: grad,
        gradParams,
        sources: null,
        what: `The gradient function \`${grad.name}\` of the @tf.custom_gradient function \`${outer.name}\``,
        kind: 'gradient',
        items: (ret) => tupleItems(m, grad, ret).map((node, i) => ({ node, input: outer.params[i]?.name ?? null })),
      });
    }
  }
  return out;
}

/**
 * Items that are not a computed gradient: number literals (a toy rule's `return 1, 2`), placeholder code with `...`, and
 * functions (the gradient function of a nested custom gradient, returned beside a value).
 */
function notAGradient(m: SemanticModel, n: PyNode, gradParams: readonly Binding[] | null): boolean {
  const u = unparen(n);
  if (u.type === 'integer' || u.type === 'float' || (u.type === 'unary_operator' && /^(?:integer|float)$/.test(unparen(field(u, 'argument') ?? u).type))) return true;
  if ((u.type === 'tuple' || u.type === 'list') && namedChildren(u).every((c) => notAGradient(m, c, gradParams) || unparen(c).type === 'none')) return true;
  if (containsEllipsis(u)) return true;
  if (u.type === 'lambda') return true;
  if (u.type === 'identifier' && m.isUse(u)) {
    const bs = m.reachingBindings(u);
    if (bs.length > 0 && bs.every((b) => b.kind === 'def')) return true;
  }
  return gradParams !== null && passedThrough(m, u, gradParams);
}

/** Whether the body of a rule reads one of its incoming gradients anywhere (also in a nested function). */
function readsIncomingGradient(m: SemanticModel, rule: FunctionInfo, gradParams: readonly Binding[]): boolean {
  const body = field(rule.node, 'body');
  if (!body) return true;
  const visit = (n: PyNode): boolean => {
    // A read of only its shape or dtype (`g.shape`, `torch.ones_like(g)`) does not count.
    if (n.type === 'identifier' && n.field !== 'attribute' && m.isUse(n) && m.reachingBindings(n).some((b) => gradParams.includes(b))) return !metadataRead(m, n);
    // A name the model does not resolve (a nested scope's free variable) counts by its text.
    if (n.type === 'identifier' && n.field !== 'attribute' && gradParams.some((p) => p.name === m.textOf(n)) && !m.isUse(n)) return !metadataRead(m, n);
    return n.children.some(visit);
  };
  return visit(body);
}

/**
 * The items of a return that concatenates tuples (`(None, None) + ctx.grads`): the items of each tuple literal, and each
 * other operand as one item (null: not such a concatenation).
 */
function concatenatedItems(ret: PyNode): PyNode[] | null {
  const u = unparen(ret);
  if (u.type !== 'binary_operator' || !u.children.some((c) => c.field === 'operator' && c.type === '+')) return null;
  const sides = [field(u, 'left'), field(u, 'right')];
  if (!sides.some((x) => x && unparen(x).type === 'tuple')) return null;
  const out: PyNode[] = [];
  for (const x of sides) {
    if (!x) return null;
    const v = unparen(x);
    out.push(...(v.type === 'tuple' ? namedChildren(v) : (concatenatedItems(v) ?? [v])));
  }
  return out;
}

/**
 * A value handed to the rule and returned unchanged: a residual or saved value (a parameter of the rule that is not an
 * incoming gradient, an attribute of one such as `ctx.scale`, a name unpacked from one or from `ctx.saved_tensors`).
 * Returning state through a gradient slot is a deliberate trick (Flax's fp8 scales ride on the cotangents), not a
 * gradient computed wrongly.
 */
function passedThrough(m: SemanticModel, n: PyNode, gradParams: readonly Binding[], depth = 0): boolean {
  const u = unparen(n);
  if (depth > 3) return false;
  if (u.type === 'attribute') {
    const o = field(u, 'object');
    return !!o && passedThrough(m, o, gradParams, depth + 1);
  }
  if (u.type === 'subscript') {
    const o = field(u, 'value');
    return !!o && passedThrough(m, o, gradParams, depth + 1);
  }
  if (u.type !== 'identifier' || !m.isUse(u)) return false;
  const bs = m.reachingBindings(u);
  if (bs.length === 0) return false;
  return bs.every((b) => {
    if (b.kind === 'param') return !gradParams.includes(b);
    if (b.kind !== 'assign' || b.path.length === 0 || !b.value) return false;
    return passedThrough(m, b.value, gradParams, depth + 1);
  });
}

function containsEllipsis(n: PyNode): boolean {
  return n.type === 'ellipsis' || n.children.some(containsEllipsis);
}

function ctxText(m: SemanticModel, n: PyNode): string {
  return m.textOf(n).replace(/\s+/g, ' ');
}

function containsNone(n: PyNode): boolean {
  return n.type === 'none' || n.children.some(containsNone);
}

/** The statements of a body are straight-line: assignments, `ctx` calls, a docstring, and the final `return`. */
function straightLine(m: SemanticModel, f: FunctionInfo, ctxName: string | null): boolean {
  const body = f.node.type === 'lambda' ? null : field(f.node, 'body');
  if (!body) return false;
  const stmts = namedChildren(body).filter((s) => s.type !== 'comment');
  for (const [k, s] of stmts.entries()) {
    if (s.type === 'return_statement') return k === stmts.length - 1;
    if (s.type === 'if_statement' && ctxName && needsInputGradBranch(m, s, ctxName)) continue;
    if (s.type !== 'expression_statement') return false;
    const e = namedChildren(s)[0];
    if (!e) return false;
    if (e.type === 'string' && k === 0) continue;
    if (e.type === 'assignment') {
      if (e.children.some((c) => c.type === ':')) return false;
      continue;
    }
    if (e.type === 'call' && ctxName) {
      const c = m.call(e);
      const recv = c?.receiver ? unparen(c.receiver) : null;
      if (recv?.type === 'identifier' && m.textOf(recv) === ctxName && /^(?:save_for_backward|mark_non_differentiable|mark_dirty|set_materialize_grads)$/.test(c?.method ?? '')) continue;
    }
    return false;
  }
  return false;
}

/**
 * `if ctx.needs_input_grad[i]: grad_x = ...` (PyTorch's template): a branch on whether an input needs its gradient,
 * without `else`, whose body only assigns. Read as taken.
 */
function needsInputGradBranch(m: SemanticModel, s: PyNode, ctxName: string): boolean {
  const cond = field(s, 'condition');
  if (!cond || !new RegExp(`^${ctxName}\\.needs_input_grad\\[\\d+\\]$`).test(m.textOf(unparen(cond)).replace(/\s+/g, ''))) return false;
  if (s.children.some((c) => c.type === 'else_clause' || c.type === 'elif_clause')) return false;
  const body = field(s, 'consequence');
  return !!body && namedChildren(body).every((x) => x.type === 'comment' || (x.type === 'expression_statement' && namedChildren(x)[0]?.type === 'assignment'));
}

/**
 * A returned gradient's expression: the item itself, or for a name (`return grad_x, grad_y`) the one value it is given
 * other than `None`, at the top of the body or in a `needs_input_grad` branch. `None` when every value is `None`.
 */
function gradientValue(m: SemanticModel, fn: FunctionInfo, item: PyNode): PyNode | 'none' | null {
  const u = unparen(item);
  if (u.type === 'none') return 'none';
  if (u.type !== 'identifier' || !m.isUse(u)) return u;
  const bs = m.reachingBindings(u);
  if (bs.some((b) => b.kind !== 'assign' || b.scope !== fn.scope || b.path.length > 0 || !b.value)) {
    // A name unpacked from `ctx.saved_tensors` or a parameter: evaluated as it is.
    return bs.length === 1 ? u : null;
  }
  const values = bs.filter((b) => unparen(b.value!).type !== 'none');
  if (values.length === 0) return 'none';
  if (values.length !== 1) return null;
  const stmt = values[0].stmt;
  const inBranch = stmt.parent?.parent?.type === 'if_statement';
  // At the top of the body the evaluator reads the name itself; in a branch, the value it is given there.
  return bs.length === 1 && !inBranch ? u : inBranch ? unparen(values[0].value!) : null;
}

/**
 * For elementwise straight-line Functions: each returned gradient against `∂forward/∂input` by central differences,
 * with an incoming gradient of 1. The first input whose gradient differs at every point.
 */
function checkNumeric(ctx: RuleContext, fn: TorchCustomFunction): boolean {
  const m = ctx.model;
  const { forward, backward } = fn;
  if (fn.setupContext || !fn.inputs || fn.inputs.length === 0 || fn.required !== fn.inputs.length || fn.gradParams.length !== 1 || !fn.ctxParam) return false;
  if (forward.returns.length !== 1 || backward.returns.length !== 1) return false;
  const fPrefix: Val[] = forward.decorators.includes('classmethod') ? [null, null] : [null];
  const bPrefix: Val[] = backward.decorators.includes('classmethod') ? [null, null] : [null];
  const fctx = forward.params[fPrefix.length - 1]?.name ?? null;
  const bctx = fn.ctxParam.name;
  if (!fctx || !straightLine(m, forward, fctx) || !straightLine(m, backward, bctx)) return false;
  const ret = unparen(backward.returns[0]);
  const raw = ret.type === 'tuple' || ret.type === 'expression_list' ? namedChildren(ret) : [ret];
  if (raw.length < fn.inputs.length) return false;
  const values = raw.map((i) => gradientValue(m, backward, i));
  const items = raw;
  const fbody = field(forward.node, 'body');
  const saves: PyNode[] = [];
  const attrs = new Map<string, PyNode>();
  for (const s of namedChildren(fbody ?? forward.node)) {
    const e = s.type === 'expression_statement' ? namedChildren(s)[0] : null;
    if (!e) continue;
    if (e.type === 'call' && m.call(e)?.method === 'save_for_backward') saves.push(...(m.call(e)?.positional ?? []));
    if (e.type === 'assignment') {
      const left = field(e, 'left');
      const obj = left?.type === 'attribute' ? field(left, 'object') : null;
      const attr = left?.type === 'attribute' ? field(left, 'attribute') : null;
      const right = field(e, 'right');
      if (obj && attr && right && m.textOf(obj) === fctx) {
        const key = m.textOf(attr);
        if (attrs.has(key)) return false;
        attrs.set(key, right);
      }
    }
  }
  const evalForward = (p: Val[]): Val | undefined => evaluateExpression(m, forward, [...fPrefix, ...p], forward.returns[0]);
  const hooksAt = (p: Val[]): Hooks<number> => ({
    attribute: (n) => {
      const obj = field(n, 'object');
      const attr = field(n, 'attribute');
      if (!obj || !attr || unparen(obj).type !== 'identifier' || m.textOf(obj) !== bctx) return undefined;
      const key = m.textOf(attr);
      if (key === 'saved_tensors' || key === 'saved_variables') {
        const vals = saves.map((s) => evaluateExpression(m, forward, [...fPrefix, ...p], s));
        return vals.some((v) => v === undefined) ? undefined : (vals as Val[]);
      }
      const store = attrs.get(key);
      return store ? evaluateExpression(m, forward, [...fPrefix, ...p], store) : undefined;
    },
  });
  const structure: Val[] = fn.inputs.map(() => 0);
  const points = pointsFor(structure);
  const outs: number[][] = [];
  for (const p of points) {
    const v = evalForward(p);
    if (v === undefined || typeof v !== 'number' || !Number.isFinite(v)) return false;
    outs.push([v]);
  }
  if (isIdentity(outs, points)) return false;
  // An input the forward does not read but hands to backward shapes the gradient on purpose (a running average in place
  // of the input, a temperature): the backward is a chosen surrogate, not the forward's derivative.
  for (let j = 0; j < fn.inputs.length; j++) {
    const cols = points.map((p) => numericColumn(m, forward, p, j, evalForward));
    if (cols.some((c) => !c || c.length !== 1) || cols.every((c) => Math.abs(c![0]) < 1e-9)) return false;
  }
  for (let j = 0; j < fn.inputs.length; j++) {
    const item = items[j];
    const value = values[j];
    if (value === null || value === 'none' || deliberatelyZero(m, value)) continue;
    const rows: { rule: number; num: number; p: Val[] }[] = [];
    for (const p of points) {
      const num = numericColumn(m, forward, p, j, evalForward);
      const rule = evaluateExpression(m, backward, [...bPrefix, 1], value, hooksAt(p));
      if (!num || num.length !== 1 || typeof rule !== 'number' || !Number.isFinite(rule) || !Number.isFinite(num[0])) break;
      rows.push({ rule, num: num[0], p });
    }
    if (rows.length !== points.length || rows.some((r) => close(r.rule, r.num))) continue;
    const at = fn.inputs.map((q, i) => `${q.name}=${fmt(leaves(rows[0].p[i])[0])}`).join(', ');
    ctx.report({
      node: item,
      message:
        `The backward of the custom autograd Function \`${fn.name}\` returns ${fmt(rows[0].rule)} as the gradient of \`${fn.inputs[j].name}\` at ${at} ` +
        `for an incoming gradient of 1, but the derivative of its forward with respect to \`${fn.inputs[j].name}\` there is ${fmt(rows[0].num)}: ` +
        'PyTorch uses the backward in place of differentiating the forward, so every gradient through the Function is wrong (silently, ' +
        'or with a shape error where the gradient is also reduced). Return `grad_output * ∂forward/∂input` for each input ' +
        '(`torch.autograd.gradcheck` compares them).',
      related: [{ node: forward.returns[0], message: 'the forward computes this' }],
    });
    return true;
  }
  return false;
}


/** Makers of pullbacks: which item of what they return is the VJP function (`jax.vjp(f, x)` returns `(out, vjp_fn)`). */
const VJP_RETURNING = /^(?:jax\.vjp|torch\.func\.vjp|functorch\.vjp|equinox\.filter_vjp)$/;
/** `autograd.make_vjp(fun)` returns a function whose call returns `(vjp, value)`. */
const MAKE_VJP = /^autograd(?:\.core|\.differential_operators)?\.make_vjp$/;

/** A value that is all ones: `torch.ones_like(y)`, `np.ones(n)`, `y.new_ones(...)`, `vspace(y).ones()`. */
function onesValue(m: SemanticModel, n: PyNode, depth = 0): boolean {
  const u = unparen(n);
  if (u.type === 'identifier' && m.isUse(u) && depth < 3) {
    const bs = m.reachingBindings(u);
    const v = bs.length === 1 && bs[0].kind === 'assign' && bs[0].path.length === 0 ? bindingValue(bs[0]) : null;
    return !!v && onesValue(m, v, depth + 1);
  }
  if (u.type !== 'call') return false;
  const c = m.call(u);
  if (!c) return false;
  if (c.qname && /(?:^|\.)(?:ones|ones_like)$/.test(c.qname)) return true;
  return !!c.method && /^(?:ones|new_ones|ones_like)$/.test(c.method);
}

/**
 * Where a pullback used in `backward` was made, when it is the VJP of a function the code does not know: a parameter
 * of an enclosing function (a wrapper that turns any function into a Function). Followed through names and through
 * `ctx.<attr>` to what `forward` stores there. Returns the made function's argument, or null.
 */
function opaquePullback(m: SemanticModel, fn: TorchCustomFunction, n: PyNode, inForward: boolean, depth = 0): PyNode | null {
  if (depth > 6) return null;
  const u = unparen(n);
  if (u.type === 'attribute' && !inForward) {
    const o = field(u, 'object');
    const a = field(u, 'attribute');
    if (!o || !a || unparen(o).type !== 'identifier' || m.textOf(unparen(o)) !== fn.ctxParam?.name) return null;
    const saver = fn.setupContext ?? fn.forward;
    const ctxName = saver.params[0]?.name;
    for (const mu of m.mutations) {
      if (mu.kind !== 'attribute' || mu.attr !== m.textOf(a) || mu.name !== ctxName || m.enclosingFunction(mu.stmt) !== saver) continue;
      const found = opaquePullback(m, fn, mu.value, true, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (u.type !== 'identifier' || !m.isUse(u)) return null;
  const bs = m.reachingBindings(u);
  if (bs.length !== 1 || bs[0].kind !== 'assign' || !bs[0].value) return null;
  const b = bs[0];
  const v = unparen(b.value!);
  if (b.path.length === 0) return opaquePullback(m, fn, v, inForward, depth + 1);
  if (b.path.length !== 1 || v.type !== 'call') return null;
  const c = m.call(v);
  if (!c) return null;
  let made: PyNode | undefined;
  if (c.qname && VJP_RETURNING.test(c.qname) && b.path[0] === 1) made = c.positional[0];
  else if (b.path[0] === 0) {
    // `vjp, ans = make_vjp(fun, argnum)(*args)`, or through a name bound to `make_vjp(fun, ...)`.
    let maker = c.calleeCall;
    const callee = field(v, 'function');
    if (!maker && callee && unparen(callee).type === 'identifier' && m.isUse(unparen(callee))) {
      const cb = m.reachingBindings(unparen(callee));
      const cv = cb.length === 1 && cb[0].kind === 'assign' && cb[0].path.length === 0 ? bindingValue(cb[0]) : null;
      maker = cv && unparen(cv).type === 'call' ? (m.call(unparen(cv)) ?? null) : null;
    }
    if (maker?.qname && MAKE_VJP.test(maker.qname)) made = maker.positional[0];
  }
  if (!made || unparen(made).type !== 'identifier' || !m.isUse(unparen(made))) return null;
  const fb = m.reachingBindings(unparen(made));
  return fb.length > 0 && fb.every((x) => x.kind === 'param') ? made : null;
}

/**
 * A backward that applies the pullback of an arbitrary function to a cotangent of ones and scales the result by the
 * incoming gradient (tidy3d's `to_torch`): the VJP with ones is the gradient of `sum(f(x))`, the sum of the Jacobian's
 * rows; multiplied by `grad_output` it is the chain rule only for an elementwise `f`.
 */
function checkOnesCotangent(ctx: RuleContext, fn: TorchCustomFunction): boolean {
  const m = ctx.model;
  if (!fn.ctxParam || fn.gradParams.length === 0) return false;
  for (const c of m.calls) {
    if (m.enclosingFunction(c.node) !== fn.backward || c.hasStarArgs || c.positional.length !== 1 || !onesValue(m, c.positional[0])) continue;
    const callee = field(c.node, 'function');
    const made = callee ? opaquePullback(m, fn, callee, false) : null;
    if (!made) continue;
    ctx.report({
      node: c.node,
      message:
        `The backward of the custom autograd Function \`${fn.name}\` applies the vector-Jacobian product of \`${m.textOf(made)}\` (any ` +
        `function its caller passes) to a cotangent of ones: that is the gradient of \`sum(${m.textOf(made)}(x))\`, the sum of the ` +
        `Jacobian's rows, and scaling it by the incoming gradient afterwards is the chain rule only for an elementwise function. ` +
        'For any other the gradient is wrong without an error (a scalar output hides it: its incoming gradient is a single ' +
        `number). Pass the incoming gradient as the cotangent (\`vjp(${fn.gradParams[0].name})\`) and do not multiply again.`,
      related: [{ node: made, message: 'the function whose pullback it is' }],
    });
    return true;
  }
  return false;
}

export const AGL075: Rule = {
  meta: {
    code: 'AGL075',
    name: 'custom-backward-gradients',
    summary: "A hand-written backward returns the wrong number of gradients (autograd.Function, tf.custom_gradient) or saves a non-tensor, a gradient that never reads the incoming gradient (also JAX custom_vjp/custom_jvp, tf.custom_gradient) or pulls back ones in its place, or, on elementwise code, not the forward's derivative.",
    framework: 'any',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Reads each `torch.autograd.Function` subclass of the file (its `forward` inputs, less `ctx` unless the Function has a ' +
        '`setup_context`; its `backward`\'s incoming gradients, the parameters after `ctx`; and what each `return` of `backward` ' +
        'visibly gives: a tuple literal, one tensor expression such as `grad_output * mask`, or a name bound once to one) and ' +
        'reports: a `backward` that returns fewer gradients than the forward has inputs without a default, or more than it has ' +
        'inputs with an extra one that is not `None`; a returned gradient that is not computed from the incoming gradient at all ' +
        '(`return mask * w` instead of `mask * grad_output`; a straight-through `torch.ones_like(grad_output)` or a mask cast ' +
        'to `grad_output.dtype`, which read only its shape or dtype; a gradient computed in `forward` and handed back from `ctx` by a ' +
        '`backward` that never reads `grad_output`, also in a tuple concatenation `(None,) + ctx.grads`; `None` and zeros are ' +
        'deliberate and not reported); a `backward` that applies the pullback of a function its caller passes (made by ' +
        '`jax.vjp`, `functorch.vjp`, `torch.func.vjp` or HIPS `make_vjp` in `forward` and kept on `ctx`) to a cotangent ' +
        'of ones (`torch.ones_like(grad_output)`, `vspace(g).ones()`) instead of the incoming gradient; and, where the ' +
        'forward and backward are straight-line elementwise code (arithmetic, `torch.exp`, `x.sigmoid()`... on the inputs and ' +
        'what `ctx` saves; PyTorch\'s `if ctx.needs_input_grad[i]: grad = ...` template read as taken), a gradient that differs from the forward\'s derivative, compared with central differences at three ' +
        'points for an incoming gradient of 1. Also `ctx.save_for_backward` of a value that is visibly not a tensor (a ' +
        'number, string or tuple literal; `x.shape`, `x.size()`, `.item()`, `len(...)`; an argument that every `Fn.apply(...)` ' +
        'call of the file passes as such a literal, or whose default is one), and a gradient other than `None` returned ' +
        'for such an input. The incoming-gradient question is also asked of JAX rules (the backward rule ' +
        'of a `jax.custom_vjp` function given by `f.defvjp(fwd, bwd)`, whose cotangents must read its last parameter `g`; ' +
        'the JVP rule of a `@jax.custom_jvp` function, whose tangent output must read the tangents) and of the gradient ' +
        'function a `@tf.custom_gradient` function returns (its gradients must read `dy`; `variables` is not a gradient), ' +
        'whose count is checked as well: one gradient per argument of the decorated function, where each returned item is ' +
        'visibly one tensor or `None` and the gradient function takes no `variables` (a returned list counts its items: `return []` ' +
        'for one input is reported; a longer list is not, as a list argument is flattened into several tensors). The gradient ' +
        'function\'s signature as well: it must accept `variables=` (or `**kwargs`) when the decorated function reads a trainable ' +
        '`tf.Variable(...)` of an enclosing scope that is not one of its inputs ("TypeError: @tf.custom_gradient grad_fn must accept ' +
        'keyword argument \'variables\', since function uses variables", tensorflow issues 31945 and 21756), and one upstream ' +
        'gradient per output when the function returns a tuple or list literal of visibly single tensors, or one visibly single ' +
        'tensor (TensorFlow calls it as `grad_fn(*grad_ys)`, a TypeError otherwise).',
      whyIsThisBad:
        'PyTorch calls `backward` with the gradient of the loss with respect to the Function\'s output and uses what it returns ' +
        'as the gradients of the inputs, in place of differentiating `forward`. A wrong count raises "function XBackward returned ' +
        'an incorrect number of gradients (expected 2, got 1)" at `loss.backward()`; TensorFlow "custom_gradient function ' +
        'expected to return 2 gradients, but returned 1 instead". Saving a non-tensor raises "save_for_backward can only ' +
        'save variables, but argument 1 is of type float" when the Function is applied; a gradient for a non-tensor input ' +
        '"returned a gradient different than None at position 2, but the corresponding forward input was not a Variable". A gradient that never reads the incoming ' +
        'gradient breaks the chain rule: the inputs are trained on a quantity that does not depend on the loss (vinsis/ternary-' +
        'quantization#1: "the original gradient not used"; the fixed version trains "much more stable"); a gradient precomputed ' +
        'in the forward pass is right only for the plain sum of the output: a weight, a sign, `GradScaler` or gradient ' +
        'accumulation scale the loss and not the gradient (PythonOT/POT#309: "Constants do not backpropagate through function ' +
        'emd2"). A vector-Jacobian product with a cotangent of ones is the gradient of the sum of the outputs; scaled by ' +
        '`grad_output` afterwards it is the chain rule only for elementwise functions (flexcompute/tidy3d#2608: "worked by ' +
        'coincidence for scalar outputs"). A gradient that is not ' +
        'the derivative of the forward makes every gradient through the Function silently wrong, or fails when it also has the ' +
        'wrong shape ("returned an invalid gradient at index 1 - got [] but expected shape compatible with [3]").',
      example:
        '```python\nclass Mul(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x, y):\n' +
        '        ctx.save_for_backward(x, y)\n        return x * y\n\n    @staticmethod\n    def backward(ctx, grad_output):\n' +
        '        x, y = ctx.saved_tensors\n        return grad_output  # one gradient for two inputs, and not d(x*y)/dx\n```',
      useInstead: '```python\n    @staticmethod\n    def backward(ctx, grad_output):\n        x, y = ctx.saved_tensors\n        return grad_output * y, grad_output * x\n```',
      knownProblems:
        'Only what `backward` visibly returns is counted: a tuple built by code, a name bound to a call of another function or ' +
        '`*args` in `forward` leave the count unchecked, and the count is against the forward\'s signature, not the calls of ' +
        '`apply` (an input with a default that a call leaves out is not required). The incoming-gradient check follows names ' +
        'through the statements of `backward` (a statement that reads the gradient makes every name in it derived) but not ' +
        'through `ctx`; a gradient taken from outside the rule (a global queue, anything not computed from its other parameters: ' +
        '`ctx`, the residuals, the primals) is not judged. Not reported as ignoring it: `None` ' +
        'and zeros (`torch.zeros_like(x)`, `dw * 0`), number literals (toy rules), placeholder code with `...`, a value the rule ' +
        'receives and returns unchanged (a residual or saved tensor: Flax\'s fp8 ops return their updated scales through the ' +
        'cotangent slots on purpose) in a rule that reads the incoming gradient elsewhere or names it unused (`_`; a rule that ' +
        'never reads it returns a gradient precomputed in the forward pass, as POT\'s `emd2` did, PythonOT/POT#309), and rules that differentiate inside (`torch.autograd.backward`, `tape.gradient`, ' +
        '`jax.grad`), whose gradient comes from a graph recorded elsewhere. A read of the incoming gradient only for its shape, ' +
        'dtype or device (`g.shape`, `g.size(0)`, `g.new_ones(...)`, `torch.ones_like(g)`, `tf.shape(dy)`, `len(g)`) does ' +
        'not count as reading it; one passed to a helper of the file is taken as read. The numeric check evaluates only ' +
        'elementwise straight-line code with one output; a branch, a reduction, `abs`, `clamp`, `round` or a call it does not ' +
        'know leaves the Function unchecked, and a forward that returns an input unchanged (gradient reversal, a straight-' +
        'through estimator) is not compared. Surrogate gradients written with evaluable functions (a `tanh` forward with a ' +
        'different backward) would be reported: suppress them with `# noqa: AGL075`.',
      fixSafety: 'No automatic fix: the right gradient has to be written by hand.',
      references: [
        '[PyTorch: Extending torch.autograd](https://pytorch.org/docs/stable/notes/extending.html)',
        '[torch.autograd.Function.backward](https://pytorch.org/docs/stable/generated/torch.autograd.Function.backward.html)',
        '[torch.autograd.gradcheck](https://pytorch.org/docs/stable/generated/torch.autograd.gradcheck.gradcheck.html)',
        '[tf.custom_gradient](https://www.tensorflow.org/api_docs/python/tf/custom_gradient)',
        '[tensorflow#26048: grad_fn returning an empty list](https://github.com/tensorflow/tensorflow/issues/26048)',
        '[tensorflow#31945: grad_fn must accept a keyword argument \'variables\'](https://github.com/tensorflow/tensorflow/issues/31945)',
        '[JAX: Custom derivative rules](https://docs.jax.dev/en/latest/notebooks/Custom_derivative_rules_for_Python_code.html)',
        '[vinsis/ternary-quantization#1: the hand-written gradient ignores the incoming gradient](https://github.com/vinsis/ternary-quantization/issues/1)',
        '[PythonOT/POT#309: constants do not backpropagate through emd2](https://github.com/PythonOT/POT/issues/309)',
        '[flexcompute/tidy3d#2608: the vjp was called with ones instead of grad_output](https://github.com/flexcompute/tidy3d/pull/2608)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    for (const fn of torchCustomFunctions(m)) {
      if (checkSavedNonTensors(ctx, fn)) continue;
      if (checkCount(ctx, fn)) continue;
      if (checkGradientOfNonTensor(ctx, fn)) continue;
      if (checkIgnoresIncoming(ctx, torchRule(m, fn))) continue;
      if (checkOnesCotangent(ctx, fn)) continue;
      checkNumeric(ctx, fn);
    }
    for (const r of [...jaxRules(m), ...tensorFlowRules(ctx)]) checkIgnoresIncoming(ctx, r);
    checkTensorFlowSignatures(ctx);
  },
};
