/**
 * TensorFlow's `@tf.custom_gradient` signature contract (https://www.tensorflow.org/api_docs/python/tf/custom_gradient),
 * asked by AGL075: `grad_fn(*grad_ys)` takes one upstream gradient per output of the function, plus `variables=` when
 * the function reads Variables it is not given. The questions to the syntax and the bindings: does the function read a
 * name bound outside it to a trainable `tf.Variable(...)`, and how many outputs does its `return y, grad_fn` give against
 * how many parameters `grad_fn` takes? (The number of gradients `grad_fn` returns is AGL075's count.)
 */
import { TF_CUSTOM_GRADIENT } from './knowledge/tensorflow';
import { decoratedWith, functionAt } from './custom-rules';
import type { RuleContext } from './rule';
import type { FunctionInfo, SemanticModel } from './semantic';
import { field, namedChildren, unparen, walk, type PyNode } from './tree';

/** Calls of TensorFlow that return a list (or a tuple) of tensors, not one. */
const LIST_RESULTS = /^tensorflow\.(?:gradients|split|unstack|meshgrid|while_loop|map_fn|nest\.\w+|unique|nn\.moments|linalg\.eigh|custom_gradient|keras\.backend\.gradients)$/;

interface Params {
  /** Positional parameters without a default. */
  required: number;
  /** Positional parameters in all. */
  positional: number;
  /** `*args` or `**kwargs`. */
  variadic: boolean;
  names: string[];
  /** A keyword parameter `variables` (the form for functions that use Variables). */
  variables: boolean;
  /** `**kwargs` (TensorFlow passes `variables=` to it). */
  dictSplat: boolean;
}

function paramsOf(m: SemanticModel, f: FunctionInfo): Params {
  const p: Params = { required: 0, positional: 0, variadic: false, names: [], variables: false, dictSplat: false };
  const list = field(f.node, 'parameters');
  let keywordOnly = false;
  for (const n of list ? namedChildren(list) : []) {
    if (n.type === 'keyword_separator') {
      keywordOnly = true;
      continue;
    }
    if (n.type === 'positional_separator') continue;
    if (n.type === 'list_splat_pattern' || n.type === 'dictionary_splat_pattern' || n.type === 'typed_parameter' && namedChildren(n).some((c) => c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern')) {
      p.variadic = true;
      if (n.type === 'list_splat_pattern') keywordOnly = true;
      if (n.type === 'dictionary_splat_pattern' || namedChildren(n).some((c) => c.type === 'dictionary_splat_pattern')) p.dictSplat = true;
      continue;
    }
    const nameNode = n.type === 'identifier' ? n : (field(n, 'name') ?? namedChildren(n).find((c) => c.type === 'identifier'));
    const name = nameNode ? m.textOf(nameNode) : '';
    if (name === 'variables') p.variables = true;
    if (keywordOnly) continue;
    p.positional++;
    p.names.push(name);
    if (n.type !== 'default_parameter' && n.type !== 'typed_default_parameter') p.required++;
  }
  return p;
}

/**
 * How many tensors `n` visibly holds once flattened: a list or tuple literal counts its items (recursively), an
 * arithmetic expression, `None`, a number or one of `single` (the gradient function's own upstream-gradient
 * parameters) counts 1, a TensorFlow call that returns one tensor counts 1; anything else (a name that may hold a
 * list) is unknown (null).
 */
function flatCount(m: SemanticModel, n: PyNode, single: ReadonlySet<string>): number | null {
  const u = unparen(n);
  if (u.type === 'list' || u.type === 'tuple' || u.type === 'expression_list') {
    let total = 0;
    for (const item of namedChildren(u)) {
      if (item.type === 'list_splat' || item.type === 'parenthesized_list_splat') return null;
      const c = flatCount(m, item, single);
      if (c === null) return null;
      total += c;
    }
    return total;
  }
  if (u.type === 'none' || u.type === 'integer' || u.type === 'float') return 1;
  if (u.type === 'binary_operator' || u.type === 'unary_operator') return 1;
  if (u.type === 'identifier') return single.has(m.textOf(u)) ? 1 : null;
  if (u.type === 'call') {
    const q = m.qualifiedName(field(u, 'function') ?? u) ?? '';
    if (q.startsWith('tensorflow.') && !LIST_RESULTS.test(q) && !/^tensorflow\.(?:\w+\.)*[A-Z]/.test(q)) return 1;
    return null;
  }
  return null;
}

/**
 * A read, in the body of `f` (not in functions nested in it), of a name bound only outside `f` to a trainable
 * `tf.Variable(...)` (`trainable=False` is not watched): TensorFlow's `VariableWatcher` records it while `f` runs.
 */
function variableRead(m: SemanticModel, f: FunctionInfo): { use: PyNode; def: PyNode } | null {
  const body = field(f.node, 'body');
  if (!body) return null;
  let found: { use: PyNode; def: PyNode } | null = null;
  walk(body, (n) => {
    if (found) return false;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type !== 'identifier' || !m.isUse(n)) return;
    const bs = m.reachingBindings(n);
    if (bs.length === 0 || bs.some((b) => b.kind !== 'assign' || !b.value || b.scope === f.scope || b.path.length !== 0)) return;
    const values = bs.map((b) => unparen(b.value!));
    if (!values.every((v) => v.type === 'call' && VARIABLE_CLASSES.has(m.qualifiedName(field(v, 'function') ?? v) ?? '') && !untrainable(m, v))) return;
    found = { use: n, def: values[0] };
    return false;
  });
  return found;
}

const VARIABLE_CLASSES = new Set(['tensorflow.Variable', 'tensorflow.compat.v1.Variable', 'tensorflow.compat.v2.Variable']);

/** `tf.Variable(..., trainable=False)`: not watched, so not passed to the gradient function. */
function untrainable(m: SemanticModel, call: PyNode): boolean {
  const c = m.call(call);
  const t = c?.keywords.get('trainable');
  return !!c && (t ? m.textOf(t) !== 'True' : c.hasKwargs || c.positional.length > 1);
}

/**
 * `return value, grad_fn` of a `@tf.custom_gradient` function: the value and the gradient function's expression, for
 * each such return of `f` (AGL053, AGL075 and the signature checks below read them).
 */
export function valueAndGrad(f: FunctionInfo): { value: PyNode; grad: PyNode }[] {
  const out: { value: PyNode; grad: PyNode }[] = [];
  for (const r of f.returns) {
    const n = unparen(r);
    if (n.type !== 'tuple' && n.type !== 'expression_list') continue;
    const items = namedChildren(n);
    if (items.length === 2) out.push({ value: items[0], grad: items[1] });
  }
  return out;
}

export function checkTensorFlowSignatures(ctx: RuleContext): void {
  const m = ctx.model;
  if (!m.calls.some((c) => c.qname !== null && TF_CUSTOM_GRADIENT.has(c.qname)) && !m.functions.some((f) => f.decorators.some((d) => /custom_gradient/.test(d)))) return;
  for (const f of m.functions) {
    if (f.name === '<lambda>' || f.isMethod || !decoratedWith(m, f, TF_CUSTOM_GRADIENT)) continue;
    const fp = paramsOf(m, f);
    if (fp.variadic) continue;
    for (const { value, grad } of valueAndGrad(f)) {
      const g = functionAt(m, grad);
      if (!g || g.node === f.node) continue;
      const gp = paramsOf(m, g);
      if (gp.variables) continue;
      // A trainable Variable the function reads without being given it: the gradient function must take `variables`.
      const variable = gp.dictSplat ? null : variableRead(m, f);
      if (variable) {
        ctx.report({
          node: grad,
          message:
            `\`${f.name}\` reads the tf.Variable \`${m.textOf(variable.use)}\` (line ${ctx.lineOf(variable.def)}) without taking it as an input, ` +
            `so TensorFlow passes the Variables it used to the gradient function as \`variables=\`; ` +
            `\`${g.name === '<lambda>' ? 'the lambda' : g.name}\` has no such parameter, and \`tape.gradient\` raises "TypeError: @tf.custom_gradient ` +
            'grad_fn must accept keyword argument \'variables\', since function uses variables". Take `variables=None` and return ' +
            '`(input_gradients, variable_gradients)`, one per Variable, or pass the Variable as an input.',
          related: [{ node: variable.use, message: 'the Variable read' }],
        });
        continue;
      }
      // Outputs: one upstream gradient per output.
      if (gp.variadic) continue;
      const v = unparen(value);
      const outputs = v.type === 'tuple' || v.type === 'list' ? namedChildren(v).length : flatCount(m, v, new Set()) === 1 ? 1 : null;
      if (outputs === null || (v.type === 'tuple' || v.type === 'list') && namedChildren(v).some((i) => flatCount(m, i, new Set(fp.names)) !== 1)) continue;
      if (outputs >= gp.required && outputs <= gp.positional) continue;
      ctx.report({
        node: grad,
        message:
          `\`${f.name}\` returns ${outputs} output${outputs === 1 ? '' : 's'}, so TensorFlow calls its gradient function with ${outputs} ` +
          `upstream gradient${outputs === 1 ? '' : 's'}, but \`${g.name === '<lambda>' ? 'the lambda' : g.name}\` takes ` +
          `${gp.required === gp.positional ? gp.positional : `${gp.required} to ${gp.positional}`}: \`tape.gradient\` raises a TypeError. ` +
          'Give the gradient function one parameter per output (`def grad(dy1, dy2)`) or `*dys`.',
        related: [{ node: value, message: 'the outputs' }],
      });
    }
  }
}
