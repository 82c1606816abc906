/**
 * AGL059 keras-weights-combined-outside-call: a Keras layer that computes a tensor from its own trainable variables
 * once, in `build()` or `__init__()` (`self.kernel = self.weight_mu + self.weight_sigma * self.eps`), and reads that
 * stored tensor in `call()`. In TensorFlow 2 the computation runs once, eagerly, when the layer is built: the forward
 * pass reads a constant, not the variables, so no tape records a path from them and their gradients are None
 * (tensorflow/tensorflow#32729: "when I put that two-line code into the call function, the error is disappeared").
 * Checked against TensorFlow's documentation and that answer, not run (TensorFlow is not installed here).
 */
import type { Rule, RuleContext } from '../rule';
import { field, namedChildren, nodesOfType, unparen, type PyNode } from '../tree';

/** Calls that make a variable of the layer. */
const VARIABLE_MAKER = /^(?:tensorflow\.(?:Variable|compat\.v1\.get_variable|keras\.backend\.variable)|keras\.backend\.variable)$/;
const VARIABLE_METHOD = /^(?:add_weight|add_variable)$/;

/** `self.<name>`: the attribute name, or null. */
function selfAttr(ctx: RuleContext, node: PyNode): string | null {
  const n = unparen(node);
  if (n.type !== 'attribute') return null;
  const o = field(n, 'object');
  const a = field(n, 'attribute');
  return o && a && unparen(o).type === 'identifier' && ctx.text(o) === 'self' ? ctx.text(a) : null;
}

/** A Keras layer or model base: `tf.keras.layers.Layer`, `keras.Model` of tf.keras, or an unbound `kl.Layer` of a snippet. */
function kerasBase(ctx: RuleContext, cls: PyNode): PyNode | null {
  const supers = field(cls, 'superclasses');
  if (!supers) return null;
  for (const b of namedChildren(supers)) {
    if (b.type === 'keyword_argument') continue;
    const q = ctx.model.qualifiedName(b);
    if (q !== null) {
      if (/^tensorflow\.(?:python\.)?keras\.(?:\w+\.)*(?:Layer|Model|Sequential)$/.test(q)) return b;
      continue;
    }
    // Not resolved: a name the snippet does not import (`kl.Layer`, `Layer`).
    if (/^(?:\w+\.)*(?:Layer|Model)$/.test(ctx.text(b))) return b;
  }
  return null;
}

function methods(ctx: RuleContext, cls: PyNode): Map<string, PyNode> {
  const out = new Map<string, PyNode>();
  const body = field(cls, 'body');
  for (const s of body ? namedChildren(body) : []) {
    const def = s.type === 'decorated_definition' ? field(s, 'definition') : s;
    if (def && def.type === 'function_definition') {
      const n = field(def, 'name');
      if (n) out.set(ctx.text(n), def);
    }
  }
  return out;
}

/** `self.<attr> = <value>` statements directly in a method body (not in nested functions). */
function selfAssignments(ctx: RuleContext, fn: PyNode): { attr: string; value: PyNode; stmt: PyNode }[] {
  const out: { attr: string; value: PyNode; stmt: PyNode }[] = [];
  const visit = (n: PyNode): void => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return;
    if (n.type === 'assignment') {
      const left = field(n, 'left');
      const right = field(n, 'right');
      const attr = left ? selfAttr(ctx, left) : null;
      if (attr && right) out.push({ attr, value: right, stmt: n });
    }
    for (const c of n.children) visit(c);
  };
  const body = field(fn, 'body');
  if (body) for (const c of body.children) visit(c);
  return out;
}

/** The value makes a variable: `tf.Variable(...)`, `self.add_weight(...)`, `K.variable(...)`. */
function makesVariable(ctx: RuleContext, value: PyNode): boolean {
  const v = unparen(value);
  if (v.type !== 'call') return false;
  const c = ctx.model.call(v);
  if (!c) return false;
  if (c.qname && VARIABLE_MAKER.test(c.qname)) return true;
  if (c.method && VARIABLE_METHOD.test(c.method) && c.receiver && ctx.text(c.receiver) === 'self') return true;
  // A snippet without imports: `tf.Variable(...)` unresolved.
  const f = field(v, 'function');
  return !!f && /^(?:tf\.)?Variable$/.test(ctx.text(f)) && c.qname === null;
}

/**
 * The variable attributes `value` computes with (`self.weight_mu + self.weight_sigma * self.eps`): only an operator
 * or a TensorFlow/Keras-backend function of them (a new tensor), not the attribute itself, a list of them, or a call
 * of anything else (a layer, a helper that may return a Variable).
 */
function combines(ctx: RuleContext, value: PyNode, variables: Set<string>): string[] {
  const v = unparen(value);
  const computes =
    v.type === 'binary_operator' ||
    v.type === 'unary_operator' ||
    (v.type === 'call' && /^(?:tensorflow|keras\.backend|tensorflow\.keras\.backend)\./.test(ctx.model.call(v)?.qname ?? '') && !makesVariable(ctx, v));
  if (!computes) return [];
  const found = new Set<string>();
  const visit = (n: PyNode): void => {
    const a = selfAttr(ctx, n);
    if (a !== null && variables.has(a)) found.add(a);
    if (n.type === 'lambda') return;
    for (const c of n.children) visit(c);
  };
  visit(v);
  return [...found];
}

/** Reads of `self.<attr>` in `fn`, unless `fn` assigns it itself. */
function readIn(ctx: RuleContext, fn: PyNode, attr: string): PyNode | null {
  if (selfAssignments(ctx, fn).some((a) => a.attr === attr)) return null;
  let found: PyNode | null = null;
  const visit = (n: PyNode): void => {
    if (found) return;
    if (selfAttr(ctx, n) === attr) {
      found = n;
      return;
    }
    for (const c of n.children) visit(c);
  };
  const body = field(fn, 'body');
  if (body) visit(body);
  return found;
}

export const AGL059: Rule = {
  meta: {
    code: 'AGL059',
    name: 'keras-weights-combined-outside-call',
    summary: 'A Keras layer combines its trainable variables into a tensor once, in `build()` or `__init__()`, and `call()` reuses it: the variables get no gradient.',
    framework: 'tensorflow',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a class derived from a Keras `Layer` or `Model` whose `build()` or `__init__()` stores a tensor computed from ' +
        'the layer\'s own variables (made there with `self.add_weight(...)` or `tf.Variable(...)`) by an operator or a ' +
        'TensorFlow function (`self.kernel = self.weight_mu + self.weight_sigma * self.eps`, `self.m = tf.concat([...self.w...])`), ' +
        'and whose `call()` reads that stored tensor without computing it again.',
      whyIsThisBad:
        'In TensorFlow 2 the expression runs once, eagerly, when the layer is built, and what is stored is its value. ' +
        '`call()` then uses a constant: the forward pass never reads the variables, so neither a `tf.GradientTape` nor ' +
        '`model.fit` records a path from them to the loss. Their gradients are None: "Variable ... has None for gradient" ' +
        'or the warning "Gradients do not exist for variables [...] when minimizing the loss", and those weights never ' +
        'train (tensorflow/tensorflow#32729, a noisy dense layer: "when I put that two-line code into the call function, ' +
        'the error is disappeared"; the TensorFlow answer: "The call method defines the computations performed on the input").',
      example: [
        '```python',
        'class NoisyDense(tf.keras.layers.Layer):',
        '    def build(self, input_shape):',
        '        self.w_mu = self.add_weight(shape=(input_shape[-1], self.units))',
        '        self.w_sigma = self.add_weight(shape=(input_shape[-1], self.units))',
        '        self.kernel = self.w_mu + self.w_sigma * self.eps   # computed once',
        '',
        '    def call(self, inputs):',
        '        return tf.matmul(inputs, self.kernel)',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'class NoisyDense(tf.keras.layers.Layer):',
        '    def build(self, input_shape):',
        '        self.w_mu = self.add_weight(shape=(input_shape[-1], self.units))',
        '        self.w_sigma = self.add_weight(shape=(input_shape[-1], self.units))',
        '',
        '    def call(self, inputs):',
        '        kernel = self.w_mu + self.w_sigma * self.eps      # on every forward pass',
        '        return tf.matmul(inputs, kernel)',
        '```',
      ].join('\n'),
      knownProblems:
        'TensorFlow 1 graph-mode Keras builds a graph node in `build()` that every session run evaluates again, so the ' +
        'same code is correct there: a file showing graph mode (`Session`, `placeholder`, `compat.v1`, `disable_eager_execution`, ' +
        '`disable_v2_behavior`, `get_default_graph`) is not checked, nor a class derived from standalone `keras` (before 2.4 it ran ' +
        'on TensorFlow 1 graphs). Only `self.<name>` attributes assigned directly in `build()`/`__init__()` and read in ' +
        '`call()` itself are followed; a helper method that `call()` uses is not.',
      fixSafety: 'No automatic fix: the computation has to move into `call()` (or a method it calls on every pass).',
      references: [
        '[Making new layers and models via subclassing: build() creates the weights, call() the computation](https://www.tensorflow.org/guide/keras/custom_layers_and_models)',
        '[Introduction to gradients and automatic differentiation: cases where gradient returns None](https://www.tensorflow.org/guide/autodiff#cases_where_gradient_returns_none)',
        '[tensorflow/tensorflow#32729: the noisy kernel computed in build() has None for gradient](https://github.com/tensorflow/tensorflow/issues/32729)',
      ],
    },
  },

  check(ctx) {
    // TensorFlow 1 graph mode (facts.ts: `Session`, `placeholder`, `compat.v1`, `disable_eager_execution`, ...): a tensor
    // built from variables in `build()` is a graph node that every session run evaluates again, so the pattern is correct.
    if (ctx.model.fileFact('tf-graph-mode')) return;
    // In pre-order: the order a walk from the root visits them in.
    for (const n of nodesOfType(ctx.tree, 'class_definition')) checkClass(ctx, n);
  },
};

function checkClass(ctx: RuleContext, cls: PyNode): void {
  if (!kerasBase(ctx, cls)) return;
  const ms = methods(ctx, cls);
  const call = ms.get('call');
  if (!call) return;
  const setup = ['__init__', 'build'].map((k) => ms.get(k)).filter((f): f is PyNode => !!f);
  const assigns = setup.flatMap((f) => selfAssignments(ctx, f));
  const variables = new Set(assigns.filter((a) => makesVariable(ctx, a.value)).map((a) => a.attr));
  if (variables.size === 0) return;
  for (const a of assigns) {
    if (variables.has(a.attr)) continue;
    const used = combines(ctx, a.value, variables);
    if (used.length === 0) continue;
    // Assigned again somewhere else in the class (a `reset_noise()` that recomputes it is still outside `call`, but
    // an assignment in `call` itself is handled by `readIn`).
    const read = readIn(ctx, call, a.attr);
    if (!read) continue;
    const vars = used.map((u) => `\`self.${u}\``).join(', ');
    ctx.report({
      node: a.stmt,
      message:
        `\`self.${a.attr}\` is computed from the layer's variables ${vars} once, when the layer is set up, and \`call()\` reuses the ` +
        `stored tensor: the forward pass never reads ${used.length > 1 ? 'those variables' : 'that variable'}, so no tape (nor \`fit\`) records a path from ${used.length > 1 ? 'them and their' : 'it and its'} ` +
        `${used.length > 1 ? 'gradients are' : 'gradient is'} None ("Gradients do not exist for variables"). Compute \`${a.attr}\` inside \`call()\`.`,
      related: [{ node: read, message: '`call()` reads the stored tensor here' }],
    });
  }
}
