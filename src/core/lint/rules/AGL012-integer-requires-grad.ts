/**
 * AGL012 integer-requires-grad: `requires_grad=True` (or `.requires_grad_()`, `.requires_grad = True`)
 * on a tensor whose dtype is visibly integer (or bool). PyTorch raises "Only Tensors of floating point
 * and complex dtype can require gradients".
 */
import { Kind } from '../analysis';
import { withAnalysisPass, type Rule, type RuleContext } from '../rule';
import { bindingValue, type CallInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { leafMarks } from '../torch';
import type { Fix } from '../types';
import { methodOf } from '../grad-mode';
import { isTokenizerFactory, TOKEN_ID_KEYS, TOKENIZER_ENCODERS } from '../knowledge/transformers';

const INT_DTYPES = new Set([
  'torch.int', 'torch.int8', 'torch.int16', 'torch.int32', 'torch.int64', 'torch.long', 'torch.short', 'torch.uint8',
  'torch.bool', 'int', 'bool', 'numpy.int8', 'numpy.int16', 'numpy.int32', 'numpy.int64', 'numpy.uint8', 'numpy.bool_',
]);
/** Factories whose dtype, without `dtype=`, follows the data (`tensor`, `as_tensor`) or the bounds (`arange`). */
const DATA_FACTORIES = new Set(['torch.tensor', 'torch.as_tensor']);
const INT_BY_DEFAULT = new Set(['torch.randint', 'torch.randint_like', 'torch.LongTensor', 'torch.IntTensor', 'torch.ByteTensor', 'torch.BoolTensor']);
const DTYPE_FACTORIES = new Set([
  'torch.zeros', 'torch.ones', 'torch.empty', 'torch.full', 'torch.arange', 'torch.tensor', 'torch.as_tensor', 'torch.randint',
  'torch.zeros_like', 'torch.ones_like', 'torch.empty_like', 'torch.full_like', 'torch.randint_like', 'torch.eye', 'torch.range',
]);
const INT_METHODS = new Set(['long', 'int', 'short', 'byte', 'bool', 'char']);

type Why = { reason: string; factory: CallInfo | null; dtype: PyNode | null; tokens?: boolean };

/** Whether every element of a (nested) list/tuple literal is an integer or bool literal. */
function allIntegerLiterals(node: PyNode): boolean {
  const n = unparen(node);
  if (n.type === 'integer' || n.type === 'true' || n.type === 'false') return true;
  if (n.type === 'unary_operator') {
    const arg = field(n, 'argument');
    return arg !== null && allIntegerLiterals(arg);
  }
  if (n.type === 'list' || n.type === 'tuple') {
    const items = namedChildren(n);
    return items.length > 0 && items.every(allIntegerLiterals);
  }
  return false;
}

/** Whether `name` is a use whose every reaching binding is a plain assignment of a value `holds` of. */
function everyBinding(m: SemanticModel, name: PyNode, holds: (value: PyNode) => boolean): boolean {
  if (!m.isUse(name)) return false;
  const reach = m.reachingBindings(name);
  return reach.length > 0 && reach.every((b) => {
    const v = b.kind === 'assign' && b.path.length === 0 ? bindingValue(b) : null;
    return v !== null && holds(v);
  });
}

/** Whether `expr` is a Hugging Face tokenizer: a name bound (on every path) to its construction, or the call itself. */
function isTokenizer(m: SemanticModel, expr: PyNode, depth = 0): boolean {
  const n = unparen(expr);
  if (depth > 3) return false;
  if (n.type === 'call') {
    const q = m.qualifiedName(n);
    return q !== null && isTokenizerFactory(q);
  }
  if (n.type === 'identifier') return everyBinding(m, n, (v) => isTokenizer(m, v, depth + 1));
  return false;
}

/** Whether `call` encodes text into tensors with a tokenizer: `tokenizer(text, return_tensors="pt")`, `tokenizer.encode(...)`. */
function isTokenizerEncoding(m: SemanticModel, call: CallInfo): boolean {
  if (!call.keywords.has('return_tensors')) return false;
  const fn = field(call.node, 'function');
  if (!fn) return false;
  if (fn.type === 'attribute') {
    const obj = field(fn, 'object');
    const attr = field(fn, 'attribute');
    if (obj && attr && TOKENIZER_ENCODERS.has(m.textOf(attr)) && isTokenizer(m, obj)) return true;
  }
  if (isTokenizer(m, fn)) return true;
  // `tokenizer(text, return_tensors="pt")` with a tokenizer handed in (a parameter, an attribute): `return_tensors` is the
  // keyword of Hugging Face's tokenizers and processors, whose token ids and masks are int64 whatever made the callee.
  // Not a function of the file (its own `return_tensors` may mean anything).
  return call.local === null && (fn.type === 'identifier' || fn.type === 'attribute');
}

/** Token ids or masks of an encoding: `enc["input_ids"]`, `enc.input_ids`, `tokenizer.encode(...)`, through names. */
function tokenIds(m: SemanticModel, expr: PyNode, depth = 0): boolean {
  const n = unparen(expr);
  if (depth > 3) return false;
  if (n.type === 'identifier') return everyBinding(m, n, (v) => tokenIds(m, v, depth + 1));
  if (n.type === 'call') {
    const c = m.call(n);
    if (!c) return false;
    const fn = field(n, 'function');
    // `tokenizer.encode(text, return_tensors="pt")` returns the ids themselves; `.to(device)` keeps the dtype.
    if (fn?.type === 'attribute' && m.textOf(field(fn, 'attribute')!) === 'encode') return isTokenizerEncoding(m, c);
    const mo = methodOf(m, c);
    return !!mo && (mo.method === 'to' || mo.method === 'cuda' || mo.method === 'cpu') && tokenIds(m, mo.receiver, depth + 1);
  }
  let base: PyNode | null = null;
  let key: string | null = null;
  if (n.type === 'subscript') {
    base = field(n, 'value');
    const sub = field(n, 'subscript');
    key = sub && sub.type === 'string' ? m.textOf(sub).replace(/^[rbuf]*['"]|['"]$/gi, '') : null;
  } else if (n.type === 'attribute') {
    base = field(n, 'object');
    key = m.textOf(field(n, 'attribute')!);
  }
  return base !== null && key !== null && TOKEN_ID_KEYS.has(key) && encoding(m, base, depth + 1);
}

/** A `BatchEncoding`: the result of a tokenizer's encoding call, through names and `.to(device)`. */
function encoding(m: SemanticModel, expr: PyNode, depth: number): boolean {
  const n = unparen(expr);
  if (depth > 4) return false;
  if (n.type === 'identifier') return everyBinding(m, n, (v) => encoding(m, v, depth + 1));
  if (n.type !== 'call') return false;
  const c = m.call(n);
  if (!c) return false;
  const mo = methodOf(m, c);
  if (mo && (mo.method === 'to' || mo.method === 'cuda')) return encoding(m, mo.receiver, depth + 1);
  return isTokenizerEncoding(m, c);
}

/** Why the value of `expr` is visibly an integer tensor, or null when it is float or unknown. */
function integerTensor(m: SemanticModel, expr: PyNode, depth = 0): Why | null {
  const n = unparen(expr);
  if (depth > 4) return null;
  if (tokenIds(m, n)) return { reason: 'a tokenizer\'s token ids and masks are `torch.int64`', factory: null, dtype: null, tokens: true };
  if (n.type === 'identifier' && m.isUse(n)) {
    const reach = m.reachingBindings(n);
    if (reach.length === 0) return null;
    let first: Why | null = null;
    for (const b of reach) {
      const v = b.kind === 'assign' ? bindingValue(b) : null;
      const w = v && b.path.length === 0 ? integerTensor(m, v, depth + 1) : null;
      if (!w) return null;
      first ??= w;
    }
    return first;
  }
  if (n.type !== 'call') return null;
  const c = m.call(n);
  if (!c) return null;
  const mo = methodOf(m, c);
  if (mo) {
    if (INT_METHODS.has(mo.method)) return { reason: `\`.${mo.method}()\` makes it an integer tensor`, factory: null, dtype: null };
    if (mo.method === 'requires_grad_') return integerTensor(m, mo.receiver, depth + 1);
    return null;
  }
  if (!c.qname) return null;
  const dtype = c.keywords.get('dtype') ?? null;
  if (dtype && DTYPE_FACTORIES.has(c.qname)) {
    const q = m.qualifiedName(dtype);
    return q && INT_DTYPES.has(q) ? { reason: `\`dtype=${m.textOf(dtype)}\``, factory: c, dtype } : null;
  }
  if (c.hasKwargs || c.hasStarArgs) return null;
  if (INT_BY_DEFAULT.has(c.qname)) return { reason: `\`${m.textOf(field(n, 'function')!)}\` returns int64`, factory: c, dtype: null };
  if (DATA_FACTORIES.has(c.qname)) {
    const data = c.positional[0] ?? c.keywords.get('data');
    return data && allIntegerLiterals(data) ? { reason: 'integer or bool literals give int64 / bool', factory: c, dtype: null } : null;
  }
  if (c.qname === 'torch.arange') {
    const bounds = c.positional.slice(0, 3);
    return bounds.length > 0 && bounds.every(allIntegerLiterals) && !c.keywords.has('start') && !c.keywords.has('end') && !c.keywords.has('step')
      ? { reason: 'integer bounds give int64', factory: c, dtype: null }
      : null;
  }
  return null;
}

/** Integer and boolean dtypes as TensorFlow, Keras and NumPy spell them (`tf.int32`, `"uint8"`, `np.int64`, `tf.bool`). */
const TF_INT_DTYPE = /^(?:tensorflow\.(?:dtypes\.)?|numpy\.|keras\.)?(?:u?int(?:8|16|32|64)?|bool_?)$/;

/**
 * Whether `expr` names an integer or boolean dtype: a literal (`tf.int32`, `'int64'`) or a name every binding of which
 * is one (`variable_dtype = tf.int32`). The text of what names it, or null.
 */
function integerDtype(m: SemanticModel, expr: PyNode, depth = 0): { text: string; at: PyNode } | null {
  const n = unparen(expr);
  if (depth > 3) return null;
  if (n.type === 'string') {
    const s = m.textOf(n).replace(/^[rbu]*['"]{1,3}|['"]{1,3}$/gi, '');
    return TF_INT_DTYPE.test(s) ? { text: m.textOf(n), at: n } : null;
  }
  if (n.type === 'attribute') {
    const q = m.qualifiedName(n);
    return q && TF_INT_DTYPE.test(q) ? { text: m.textOf(n), at: n } : null;
  }
  if (n.type === 'identifier' && m.isUse(n)) {
    const reach = m.reachingBindings(n);
    if (reach.length === 0) return null;
    let first: { text: string; at: PyNode } | null = null;
    for (const b of reach) {
      const v = b.kind === 'assign' && b.path.length === 0 ? bindingValue(b) : null;
      const w = v ? integerDtype(m, v, depth + 1) : null;
      if (!w) return null;
      first ??= w;
    }
    return first;
  }
  return null;
}

/**
 * Whether `node` is in a method of a class whose bases are a Keras layer or model (`keras.layers.Layer`, `tf.keras.Model`,
 * a layer class) or a class of the file that is. A Keras metric's or optimizer's `add_weight`/`add_variable` makes
 * non-trainable variables (counters), and is not one.
 */
function inKerasLayer(m: SemanticModel, node: PyNode, depth = 0): boolean {
  let cls: PyNode | null = node.parent;
  while (cls && cls.type !== 'class_definition') cls = cls.parent;
  if (!cls || depth > 3) return false;
  const bases = field(cls, 'superclasses');
  return (bases ? namedChildren(bases) : []).some((b) => {
    const q = m.qualifiedName(b) ?? m.textOf(b);
    if (/Metric|Optimizer|Loss/.test(q)) return false;
    if (/(?:^|\.)(?:keras|tf_keras)\.(?:layers\.\w+|Model|models\.Model|Sequential|Layer)$/.test(q)) return true;
    // A class of the file that is one (`class Block(MyLayer)`).
    if (b.type === 'identifier' && m.isUse(b)) {
      const def = m.reachingBindings(b).find((x) => x.kind === 'class');
      const body = def ? def.stmt : null;
      const inner = body ? field(body, 'body') : null;
      return !!inner && inKerasLayer(m, inner, depth + 1);
    }
    return false;
  });
}

/**
 * A Keras layer's weight made trainable (the default) with an integer dtype: `self.add_weight(..., dtype=tf.int32)`.
 * TensorFlow differentiates floating-point values only, so the weight never gets a gradient: `fit` raises "No gradients
 * provided for any variable" when it is the only one, and otherwise warns that gradients do not exist for it.
 */
function kerasIntegerWeights(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    if ((c.method !== 'add_weight' && c.method !== 'add_variable') || !c.receiver || c.hasKwargs) continue;
    const recv = unparen(c.receiver);
    if (recv.type !== 'identifier' || m.textOf(recv) !== 'self' || !inKerasLayer(m, c.node)) continue;
    const dtype = c.keywords.get('dtype');
    const trainable = c.keywords.get('trainable');
    if (!dtype || (trainable && m.literalBool(trainable) !== true)) continue;
    const int = integerDtype(m, dtype);
    if (!int) continue;
    const named = int.at.start < dtype.start || int.at.end > dtype.end;
    ctx.report({
      node: dtype,
      message:
        `\`${ctx.text(field(c.node, 'function')!)}(...)\` makes a trainable weight (\`trainable\` defaults to True) with the integer dtype ` +
        `\`${named ? `${ctx.text(dtype)}\` (\`${int.text}\`)` : `${int.text}\``}: TensorFlow differentiates floating-point values only, so this weight ` +
        'never gets a gradient, and training raises "No gradients provided for any variable" when it is the only one (or warns that ' +
        'gradients do not exist for it). Give it a float dtype (`dtype="float32"`), or pass `trainable=False` for a counter.',
      related: named ? [{ node: int.at, message: 'the integer dtype is chosen here' }] : [],
    });
  }
}

/** `dtype=torch.float32` inserted into (or replacing the dtype of) the factory call. */
function floatDtypeFix(ctx: RuleContext, why: Why): Fix | null {
  const torch = ctx.model.moduleAlias('torch');
  if (!torch || !why.factory) return null;
  if (why.dtype) {
    return { title: `Use dtype=${torch}.float32`, safe: false, edits: [ctx.replace(why.dtype, `${torch}.float32`)] };
  }
  const args = field(why.factory.node, 'arguments');
  if (!args || args.type !== 'argument_list') return null;
  const items = namedChildren(args);
  const last = items[items.length - 1];
  if (!last) return null;
  return { title: `Add dtype=${torch}.float32`, safe: true, edits: [ctx.insertAt(last.end, `, dtype=${torch}.float32`)] };
}

const SYNTAX: Rule = {
  meta: {
    code: 'AGL012',
    name: 'integer-requires-grad',
    summary: '`requires_grad` on an integer tensor raises, and an integer trainable weight gets no gradient: only floating-point (and complex) values are differentiated.',
    framework: 'any',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `requires_grad=True` passed to a factory, `.requires_grad_()` and `.requires_grad = True`, where the tensor is ' +
        'visibly integer: an explicit integer or bool `dtype=`, `torch.tensor` / `torch.as_tensor` of integer literals, ' +
        '`torch.arange` with integer bounds, `torch.randint`, `.long()` / `.int()` / `.bool()`, or a Hugging Face tokenizer\'s ' +
        '`input_ids` / `attention_mask` (`tokenizer(text, return_tensors="pt")["input_ids"]`, `.input_ids`, `tokenizer.encode(...)`; ' +
        'also of a tokenizer or processor handed in as an argument or attribute, known by its `return_tensors=` keyword): ' +
        'take input derivatives of a language model with respect to its input embeddings instead. In JAX, a transform ' +
        '(`jax.grad`, `jacfwd`, `jacrev`, `hessian`) applied to an integer argument (`jax.grad(f)(2)`). In Keras, a layer weight made ' +
        'trainable (the default) with an integer or boolean dtype: `self.add_weight(..., dtype=tf.int32)` or `self.add_variable(...)`, ' +
        'the dtype written there or bound to a name (`variable_dtype = tf.int32`).',
      whyIsThisBad:
        'Integers have no derivative; PyTorch raises "Only Tensors of floating point and complex dtype can require gradients". ' +
        'The trap is `torch.tensor([1, 2, 3])` or `torch.arange(10)`: without a decimal point the dtype is int64. TensorFlow ' +
        'differentiates floating-point values only: an integer Keras weight never gets a gradient, and `fit` raises "No gradients ' +
        'provided for any variable" when it is the only trainable weight (keras-team/keras#20058), or warns that gradients do not ' +
        'exist for it.',
      example: ['```python', 'x = torch.tensor([1, 2, 3], requires_grad=True)', '```'].join('\n'),
      useInstead: ['```python', 'x = torch.tensor([1, 2, 3], dtype=torch.float32, requires_grad=True)', '# or [1.0, 2.0, 3.0]', '```'].join('\n'),
      knownProblems:
        'Only dtypes visible in the file are known: data from a variable, NumPy arrays and function results are not checked. ' +
        'A variable assigned on several paths is flagged only when every path gives an integer tensor. Keras weights are judged ' +
        'at `self.add_weight` / `self.add_variable` with a `dtype=` keyword, in a class whose bases are a Keras layer or model ' +
        '(a metric\'s or an optimizer\'s variables are not trainable); `tf.Variable`s with an integer dtype are reported ' +
        'by AGL006 where a tape differentiates with respect to them.',
      fixSafety:
        'Adding `dtype=torch.float32` where no dtype was given is safe: the call raised before, and the values are the same ' +
        'numbers as floats. Replacing an explicit integer `dtype=` is unsafe: the code may rely on that dtype elsewhere ' +
        '(indexing, counting).',
      references: [
        '[Tensor attributes: dtype](https://pytorch.org/docs/stable/tensor_attributes.html)',
        '[keras-team/keras#20058: "No gradients provided for any variable" when a variable uses an integer data type](https://github.com/keras-team/keras/issues/20058)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    kerasIntegerWeights(ctx);
    const marks = leafMarks(m);
    for (const mark of marks) {
      let why: Why | null = null;
      if (mark.kind === 'factory') {
        const c = m.call(mark.marker);
        const rg = c?.keywords.get('requires_grad');
        if (!c || !rg || m.literalBool(rg) !== true) continue;
        why = integerTensor(m, mark.marker);
      } else {
        why = integerTensor(m, mark.target);
      }
      if (!why) continue;
      const fix = floatDtypeFix(ctx, why);
      const reportNode = mark.kind === 'attribute' ? (namedChildren(mark.marker)[0] ?? mark.marker) : mark.marker;
      ctx.report({
        node: reportNode,
        message:
          `\`${ctx.text(mark.target).slice(0, 60)}\` is an integer tensor (${why.reason}), and only floating-point tensors can ` +
          'require gradients: this raises at run time. ' +
          (why.tokens
            ? 'Token ids have no derivative (and as floats they could not index the embedding): take the derivative with respect to ' +
              'the input embeddings, `embeds = model.get_input_embeddings()(input_ids)`, then `model(inputs_embeds=embeds)` and ' +
              '`torch.autograd.grad(score, embeds)`.'
            : 'Give it a float dtype, e.g. `dtype=torch.float32`.'),
        related: why.factory && !(why.factory.node.start >= mark.marker.start && why.factory.node.end <= mark.marker.end) ? [{ node: why.factory.node, message: 'the integer tensor is made here' }] : [],
        fixes: fix ? [fix] : [],
      });
    }
  },
};

/**
 * What the analysis adds: JAX's transforms differentiate only real (inexact) inputs, and `jax.grad(f)(2)`
 * raises "grad requires real- or complex-valued inputs ... but got int32".
 */
export const AGL012: Rule = withAnalysisPass(SYNTAX, (ctx, seen) => {
  for (const d of ctx.analysis.events.derivatives) {
    if (d.spec.framework !== 'jax' || seen(d.node)) continue;
    const v = d.inputs;
    const intLiteral = v.kind === Kind.NUMBER && typeof v.lit === 'number' && Number.isInteger(v.lit) && v.site !== -2;
    const intArray = !!v.t && v.t.dtype === 'int';
    if (!intLiteral && !intArray) continue;
    // `allow_int=True` makes JAX accept integer inputs (their gradient is float0 zeros).
    const tNode = d.transform !== undefined && d.transform !== null ? ctx.tree.nodes[d.transform] : undefined;
    const tCall = tNode && tNode.type === 'call' ? ctx.model.call(tNode) : undefined;
    const allowInt = tCall?.keywords.get('allow_int');
    if (tCall?.hasKwargs || (allowInt && ctx.model.literalBool(allowInt) !== false)) continue;
    const fn = field(d.node, 'function');
    ctx.report({
      node: d.node,
      message:
        `\`${fn ? ctx.text(fn) : d.api}\` differentiates with respect to an integer (${intLiteral ? `the literal ${String(v.lit)}` : 'an integer array'}): JAX raises ` +
        '"grad requires real- or complex-valued inputs". Pass a float (`2.0`, `jnp.asarray(x, dtype=jnp.float32)`).',
      related: [],
      fixes: [],
    });
  }
});
