/**
 * AGL003 normalized-input-derivative: the tensor differentiated against is the scaler's output, so
 * the derivative is in normalized units — off by exactly the scaler's factor (seed 000: 10x for a
 * MinMax scale of 0.1).
 */
import type { Rule, RuleContext } from '../rule';
import { argumentForParam, type Binding, type CallInfo, type FunctionInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, nodesOfType, unparen, type PyNode } from '../tree';
import { elements, gradReads, isModelCall, leafBindings, leafMarks, type LeafMark } from '../torch';
import { positionAt } from '../tree';
import { findTapes, tapeOfCall } from '../tensorflow';
import { differentiatedArgument } from '../derivatives';

interface Normalization {
  node: PyNode;
  /** What normalizes: "`inp_scaler.transform`", "`(x - mean) / std`". */
  what: string;
  /** The chain-rule factor, as code: `inp_scaler.scale_`, `1 / std`. */
  factor: string;
  /** Extra explanation of the factor. */
  note: string;
  /**
   * Text that, multiplying or dividing the derivative, applies the chain rule whatever its name: the divisor of a
   * manual normalization (`sd`, `(ub - lb)`), the scaler (`x_scaler` in `x_scaler.scale_`).
   */
  by: string;
}

const SKLEARN_FACTORS: Record<string, { factor: (r: string) => string; note: string }> = {
  MinMaxScaler: { factor: (r) => `${r}.scale_`, note: 'MinMaxScaler: scale_ = 1/(data_max_ - data_min_), so a scale_ of 0.1 makes the derivative 10x too large' },
  StandardScaler: { factor: (r) => `1 / ${r}.scale_`, note: 'StandardScaler: scale_ is the standard deviation' },
  RobustScaler: { factor: (r) => `1 / ${r}.scale_`, note: 'RobustScaler: scale_ is the interquartile range' },
  MaxAbsScaler: { factor: (r) => `1 / ${r}.scale_`, note: 'MaxAbsScaler: scale_ is the maximum absolute value' },
};

function sklearnClass(m: SemanticModel, receiver: PyNode, depth = 0): string | null {
  let cls: string | null = null;
  m.traceBack(receiver, (n) => {
    if (cls) return false;
    if (n.type === 'attribute' && depth < 2) {
      for (const v of attributeValues(m, n)) {
        cls = sklearnClass(m, v, depth + 1);
        if (cls) return false;
      }
    }
    if (n.type === 'call') {
      const q = m.qualifiedName(n);
      if (q && q.startsWith('sklearn.')) {
        const name = q.split('.').pop()!;
        if (SKLEARN_FACTORS[name]) cls = name;
      }
    }
    return true;
  });
  return cls;
}

/**
 * `bounds[1] - bounds[0]`, `clip_values[1] - clip_values[0]`: two items of one container subtracted, the width of a
 * range. Divided (`(hi - lo) / 2`), it is a half-width, a number that centres or scales something, not data brought to
 * normalized units (ART's Shadow attack starts its perturbation at `uniform(lo, hi) - (hi - lo) / 2`).
 */
function rangeWidth(m: SemanticModel, diff: PyNode): boolean {
  const a = field(diff, 'left');
  const b = field(diff, 'right');
  const l = a ? unparen(a) : null;
  const r = b ? unparen(b) : null;
  if (l?.type !== 'subscript' || r?.type !== 'subscript') return false;
  const lv = field(l, 'value');
  const rv = field(r, 'value');
  return !!lv && !!rv && m.textOf(lv) === m.textOf(rv);
}

/**
 * How the code around the diagnostic spells a helper's value: inside `def normalize_inp(data, scaler)`,
 * called from one place as `normalize_inp(x, inp_scaler)` in the function `home` that holds the leaf,
 * `scaler` is `inp_scaler` there (and `scaler.min_` is `inp_scaler.min_`), so the message names what the
 * user passed (seed 000). A helper called from several places, a chain that does not lead back to `home`,
 * or an expression that is not a simple name or attribute chain keeps its own text.
 */
function callerText(m: SemanticModel, node: PyNode, home: PyNode | null): string {
  const own = m.textOf(unparen(node));
  if (!/^[\w.]+$/.test(own)) return own;
  let cur = unparen(node);
  const attrs: string[] = [];
  for (let depth = 0; depth < 5; depth++) {
    if ((m.enclosingFunction(cur)?.node ?? null) === home) return [m.textOf(cur), ...attrs].join('.');
    while (cur.type === 'attribute') {
      const attr = field(cur, 'attribute');
      const obj = field(cur, 'object');
      if (!attr || !obj) return own;
      attrs.unshift(m.textOf(attr));
      cur = unparen(obj);
    }
    if (cur.type !== 'identifier' || !m.isUse(cur)) return own;
    const reach = m.reachingBindings(cur);
    const p = reach.length === 1 ? reach[0] : null;
    const site = p?.param && p.param.star === 'none' && p.param.fn.callSites.length === 1 ? p.param.fn.callSites[0] : null;
    const arg = site && p ? argumentForParam(site, p) : null;
    if (!arg || !/^[\w.]+$/.test(m.textOf(unparen(arg)))) return own;
    cur = unparen(arg);
  }
  return own;
}

/** ` in \`helper\`` when `caller` differs from the text inside the helper, for messages. */
function inHelper(m: SemanticModel, node: PyNode, own: string, caller: string): string {
  const fn = own !== caller ? m.enclosingFunction(node) : null;
  return fn ? ` (\`${own}\` in \`${fn.name}\`)` : '';
}

/**
 * `x + (z - x) / ||z - x|| * r`: the center subtracted in the numerator is added back in the same
 * expression, so the value is a point around `x` in `x`'s own units (the projection of an attack's iterate
 * onto a ball, in torchattacks' and AutoAttack's APGD), not data in normalized units.
 */
function addedBack(m: SemanticModel, div: PyNode, center: string): boolean {
  for (let p = div.parent; p && !p.type.endsWith('statement') && p.type !== 'block'; p = p.parent) {
    if (p.type !== 'binary_operator') continue;
    const op = field(p, 'operator');
    if (!op || m.textOf(op) !== '+') continue;
    const sides = [field(p, 'left'), field(p, 'right')];
    if (sides.some((x) => x && m.textOf(unparen(x)) === center)) return true;
  }
  return false;
}

/**
 * Whether `expr` uses the name `name`: in its own text, or in the values bound to the names it reads
 * (`d1 = reshape(d3, x1.shape)`, `d3 = projection(x1, ...)`), a few bindings deep.
 */
function usesName(m: SemanticModel, expr: PyNode, name: string, depth = 3): boolean {
  const seen = new Set<number>();
  const go = (n: PyNode, d: number): boolean => {
    if (seen.has(n.id)) return false;
    seen.add(n.id);
    if (n.type === 'identifier') {
      if (m.textOf(n) === name) return true;
      if (d > 0 && m.isUse(n)) for (const b of m.reachingBindings(n)) if (b.value && go(b.value, d - 1)) return true;
      return false;
    }
    return n.children.some((c) => go(c, d));
  };
  return go(expr, depth);
}

/** Sums being checked by `pointPlusStep` (a point's own update reaches itself over a loop). */
const checkingPoints = new Set<number>();

/**
 * `x + step(x, ...)`, `x1 + eta * d1` with `d1` computed from `x1`: a raw point (a name with no
 * normalization upstream) plus an increment computed from that point, as in an attack's or solver's
 * update (FAB's projection onto the decision hyperplane: `(b - <w, x>) / ||w||` is a step length). The
 * sum is a point in the raw point's units, whatever divisions the step length took.
 */
function pointPlusStep(m: SemanticModel, sum: PyNode, home: PyNode | null): boolean {
  const op = field(sum, 'operator');
  if (!op || m.textOf(op) !== '+') return false;
  const sides = [field(sum, 'left'), field(sum, 'right')].map((x) => (x ? unparen(x) : null));
  if (checkingPoints.has(sum.id)) return true; // its own update, met again while checking it: assume a point
  checkingPoints.add(sum.id);
  try {
    for (const [i, side] of sides.entries()) {
      const other = sides[1 - i];
      if (!side || !other || side.type !== 'identifier') continue;
      if (!usesName(m, other, m.textOf(side))) continue;
      if (findNormalization(m, side, home) === null) return true;
    }
    return false;
  } finally {
    checkingPoints.delete(sum.id);
  }
}

/**
 * `x1 = ((x1 + eta * d1) * (1 - alpha) + ...).clamp(0, 1)`: an iterate updated from itself, where the old
 * value is a term of a sum (through sums, products and method calls such as `.clamp`, never a subtraction
 * or a division, so `x = (x - mu) / sigma` is not one). The new value is in the iterate's own units.
 */
function iterateUpdate(m: SemanticModel, value: PyNode): boolean {
  const asg = value.parent;
  if (!asg || asg.type !== 'assignment' || field(asg, 'right') !== value) return false;
  const left = field(asg, 'left');
  if (!left || left.type !== 'identifier') return false;
  const name = m.textOf(left);
  const isName = (e: PyNode | null): boolean => !!e && unparen(e).type === 'identifier' && m.textOf(unparen(e)) === name;
  const addend = (e0: PyNode | null): boolean => {
    if (!e0) return false;
    const e = unparen(e0);
    if (e.type === 'binary_operator') {
      const op = field(e, 'operator');
      const o = op ? m.textOf(op) : '';
      const l = field(e, 'left');
      const r = field(e, 'right');
      if (o === '+') return isName(l) || isName(r) || addend(l) || addend(r);
      if (o === '*') return addend(l) || addend(r);
      return false;
    }
    if (e.type === 'call') {
      const fn = field(e, 'function');
      return !!fn && fn.type === 'attribute' && addend(field(fn, 'object'));
    }
    return false;
  };
  return addend(value);
}

function findNormalization(m: SemanticModel, expr: PyNode, home: PyNode | null): Normalization | null {
  let found: Normalization | null = null;
  m.traceBack(expr, (n) => {
    if (found) return false;
    if (n.type === 'binary_operator' && pointPlusStep(m, n, home)) return false;
    if (iterateUpdate(m, n)) return false;
    if (n.type === 'call') {
      const c = m.call(n);
      // A derivative is not the data it is taken at: parameters updated from `grad_loss(params, X, Y)` (an optimizer
      // step in JAX, `p - lr * g`) carry the parameters' units, whatever the normalized batch `X` they were fed.
      if (c && isDerivativeCall(m, c)) return false;
      if (c?.method && (c.method === 'transform' || c.method === 'fit_transform') && c.receiver) {
        const own = m.textOf(c.receiver);
        const r = callerText(m, c.receiver, home);
        const cls = sklearnClass(m, c.receiver);
        if (cls || /scal|norm/i.test(own) || /scal|norm/i.test(r)) {
          const f = cls ? SKLEARN_FACTORS[cls] : null;
          found = {
            node: n,
            what: `\`${r}.${c.method}\`${inHelper(m, n, `${own}.${c.method}`, `${r}.${c.method}`)}`,
            factor: f ? f.factor(r) : `${r}.scale_`,
            note: f ? f.note : `multiply by ${r}.scale_ for a MinMaxScaler, by 1/${r}.scale_ for a StandardScaler`,
            by: own,
          };
          return false;
        }
      }
      // A helper imported from another file of the workspace (`from utils import normalize`): its returns.
      const imported = c && !c.local ? workspaceFunction(m, c) : null;
      if (imported && !followingImports.has(imported.node.id)) {
        followingImports.add(imported.node.id);
        try {
          for (const r of imported.returns) {
            found = findNormalization(m, r, home);
            if (found) return false;
          }
        } finally {
          followingImports.delete(imported.node.id);
        }
      }
      // A Keras Normalization layer applied outside the model.
      const fn = c ? field(c.node, 'function') : null;
      if (fn && fn.type === 'identifier' && m.isUse(fn)) {
        for (const b of m.reachingBindings(fn)) {
          const v = b.value ? unparen(b.value) : null;
          if (v?.type === 'call' && KERAS_NORMALIZATION.has(m.qualifiedName(v) ?? '')) {
            const name = m.textOf(fn);
            found = { node: n, what: `the Normalization layer \`${name}\``, factor: `1 / tf.sqrt(${name}.variance)`, note: 'the layer divides by the standard deviation', by: name };
            return false;
          }
        }
      }
    }
    if (n.type === 'binary_operator') {
      const op = field(n, 'operator');
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (op && left && right && m.textOf(op) === '/') {
        const l = centred(m, unparen(left));
        const lop = l.type === 'binary_operator' ? field(l, 'operator') : null;
        const center = lop && m.textOf(lop) === '-' ? field(l, 'right') : null;
        if (center && addedBack(m, n, m.textOf(unparen(center)))) return false;
        if (lop && m.textOf(lop) === '-' && !rangeWidth(m, l)) {
          const rt = callerText(m, right, home);
          found = { node: n, what: `\`${m.textOf(n)}\`${inHelper(m, n, m.textOf(unparen(right)), rt).replace(/^ \(`[^`]*` in/, ' (in')}`, factor: `${l === unparen(left) ? '1' : numberSide(m, unparen(left))} / ${/^[\w.]+$/.test(rt) ? rt : `(${rt.replace(/^\((.*)\)$/s, '$1')})`}`, note: 'the derivative w.r.t. the raw input is the normalized one divided by the scale', by: m.textOf(unparen(right)) };
          return false;
        }
      }
    }
    // `self.x_scaled`: data stored in an attribute by another method of the class.
    if (n.type === 'attribute' && !attributeDepth.has(n.id) && attributeDepth.size < 3) {
      for (const v of attributeValues(m, n)) {
        attributeDepth.add(n.id);
        try {
          found = findNormalization(m, v, home);
        } finally {
          attributeDepth.delete(n.id);
        }
        if (found) return false;
      }
    }
    return true;
  });
  return found;
}

/**
 * What a batch drawn from a PyTorch `DataLoader` over a dataset class of this file holds: `for xb, yb in loader`
 * (or `for i, (xb, yb) in enumerate(loader)`) with `loader = DataLoader(MyDataset(...))` gives, for `xb`, the first
 * item of each tuple `MyDataset.__getitem__` returns (`self.X[idx]`, whose attribute `findNormalization` follows to
 * `self.X = (X - mean) / std` in `__init__`). Only literal tuples are split; a batch bound whole to a tuple item is
 * not followed (which item it is would be a guess).
 */
function loaderItems(m: SemanticModel, expr: PyNode): PyNode[] {
  const e = unparen(expr);
  if (e.type !== 'identifier' || !m.isUse(e)) return [];
  const bs = m.reachingBindings(e);
  if (bs.length !== 1 || bs[0].kind !== 'for' || !bs[0].value) return [];
  let path = bs[0].path;
  let it = unparen(bs[0].value);
  if (it.type === 'call' && m.textOf(field(it, 'function') ?? it) === 'enumerate') {
    const arg = m.call(it)?.positional[0];
    if (!arg || path[0] !== 1) return [];
    it = unparen(arg);
    path = path.slice(1);
  }
  const valueOf = (n: PyNode): PyNode => {
    const u = unparen(n);
    if (u.type !== 'identifier' || !m.isUse(u)) return u;
    const r = m.reachingBindings(u);
    return r.length === 1 && r[0].kind === 'assign' && r[0].value && r[0].path.length === 0 ? unparen(r[0].value) : u;
  };
  const loader = valueOf(it);
  if (loader.type !== 'call' || !/^torch\.utils\.data\.(dataloader\.)?DataLoader$/.test(m.qualifiedName(loader) ?? '')) return [];
  const lc = m.call(loader);
  const ds = lc ? (lc.keywords.get('dataset') ?? lc.positional[0]) : null;
  const made = ds ? valueOf(ds) : null;
  const ctor = made?.type === 'call' ? field(made, 'function') : null;
  if (!ctor || ctor.type !== 'identifier' || !m.isUse(ctor)) return [];
  const cb = m.reachingBindings(ctor);
  if (cb.length !== 1 || cb[0].kind !== 'class') return [];
  const cls = cb[0].stmt;
  const getitem = m.functions.find((f) => f.name === '__getitem__' && f.isMethod && enclosingClass(f.node) === cls);
  if (!getitem) return [];
  const out: PyNode[] = [];
  for (const r0 of getitem.returns) {
    const r = unparen(r0);
    const isTuple = r.type === 'tuple' || r.type === 'list' || r.type === 'expression_list';
    if (path.length === 0) {
      if (!isTuple) out.push(r);
    } else if (isTuple) {
      const items = namedChildren(r);
      if (path[0] < items.length && items.every((x) => x.type !== 'list_splat')) out.push(items[path[0]]);
    }
  }
  return out;
}

/** Imported helpers being followed by `findNormalization` (a guard against recursion). */
const followingImports = new Set<number>();

/**
 * The definition of an imported helper in the workspace text appended after the linted file (workspace.ts):
 * a call of a name the linted file imports, matched by name to the one function of that name defined at the top
 * of an appended module. Null when the name is not imported, not found, or defined more than once there.
 */
function workspaceFunction(m: SemanticModel, c: CallInfo): FunctionInfo | null {
  if (m.lintedEnd >= m.source.length) return null;
  const fn = field(c.node, 'function');
  if (!fn || fn.type !== 'identifier' || !m.isUse(fn)) return null;
  const bs = m.reachingBindings(fn);
  if (bs.length !== 1 || bs[0].kind !== 'import') return null;
  const name = m.textOf(fn);
  const defs = m.functions.filter((f) => {
    if (f.name !== name || f.node.start < m.lintedEnd) return false;
    const outer = m.enclosingFunction(f.node);
    return !!outer && outer.name.startsWith('__autograd_lens_workspace_');
  });
  return defs.length === 1 ? defs[0] : null;
}

/** Attributes being followed by `findNormalization` (a guard against cycles and deep chains). */
const attributeDepth = new Set<number>();

/** Keras' Normalization layer, by the names it is reached under. */
const KERAS_NORMALIZATION = new Set([
  'tensorflow.keras.layers.Normalization', 'keras.layers.Normalization', 'tensorflow.keras.layers.experimental.preprocessing.Normalization',
  'keras.layers.experimental.preprocessing.Normalization', 'tf_keras.layers.Normalization',
]);

/**
 * The centred numerator of a min-max map to [-1, 1], `2 * (x - lb) / (ub - lb) - 1` (parsed as `(2 * (x - lb)) / ...`):
 * the difference inside a product by a number. Anything else is returned as is.
 */
function centred(m: SemanticModel, l: PyNode): PyNode {
  if (l.type !== 'binary_operator') return l;
  const op = field(l, 'operator');
  if (!op || m.textOf(op) !== '*') return l;
  const a = field(l, 'left');
  const b = field(l, 'right');
  const num = (e: PyNode | null): boolean => !!e && unparen(e).type === 'float' || (!!e && unparen(e).type === 'integer');
  const diff = (e: PyNode | null): PyNode | null => {
    if (!e || e.type !== 'parenthesized_expression') return null;
    const d = unparen(e);
    const o = d.type === 'binary_operator' ? field(d, 'operator') : null;
    return o && m.textOf(o) === '-' ? d : null;
  };
  if (num(a) && diff(b)) return diff(b)!;
  if (num(b) && diff(a)) return diff(a)!;
  return l;
}

/** The number a centred numerator is multiplied by (`2` in `2 * (x - lb)`). */
function numberSide(m: SemanticModel, product: PyNode): string {
  const a = field(product, 'left');
  const b = field(product, 'right');
  const isNum = (e: PyNode | null): boolean => !!e && (unparen(e).type === 'integer' || unparen(e).type === 'float');
  return isNum(a) ? m.textOf(a!) : isNum(b) ? m.textOf(b!) : '1';
}

/**
 * The values stored in `self.name` by the methods of the class whose method reads it (`self.x_scaled =
 * scaler.transform(x)` in `__init__`, read in `sensitivity`): only `self.<name>` inside a class, only plain
 * assignments to that exact attribute.
 */
function attributeValues(m: SemanticModel, attr: PyNode): PyNode[] {
  const obj = field(attr, 'object');
  if (!obj || obj.type !== 'identifier' || m.textOf(obj) !== 'self') return [];
  const cls = enclosingClass(attr);
  if (!cls) return [];
  let index = selfAssignments.get(m);
  if (!index) {
    index = new Map();
    for (const n of nodesOfType(m.tree, 'assignment')) {
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (!left || !right || left.type !== 'attribute' || !m.textOf(left).startsWith('self.')) continue;
      const list = index.get(m.textOf(left)) ?? [];
      list.push(n);
      index.set(m.textOf(left), list);
    }
    selfAssignments.set(m, index);
  }
  return (index.get(m.textOf(attr)) ?? []).filter((n) => enclosingClass(n) === cls).map((n) => field(n, 'right')!);
}

/** `self.<name> = value` assignments of each model, by target text. */
const selfAssignments = new WeakMap<SemanticModel, Map<string, PyNode[]>>();

function enclosingClass(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return null;
}

/** The expression whose value is the leaf: the marked variable, or the data passed to the factory. */
function leafValue(m: SemanticModel, mark: LeafMark): PyNode | null {
  if (mark.kind === 'factory') {
    const c = m.call(mark.marker);
    return c?.positional[0] ?? null;
  }
  return mark.target;
}

export const AGL003: Rule = {
  meta: {
    code: 'AGL003',
    name: 'normalized-input-derivative',
    summary: 'The tensor differentiated against is a scaler\'s output: the derivative is in normalized units, off by the scaler\'s factor.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds the point a derivative is taken at — in PyTorch a tensor marked `requires_grad` (`.requires_grad_()`, ' +
        '`.requires_grad = True`, `torch.tensor(..., requires_grad=True)`); in TensorFlow a tensor a `GradientTape` watches ' +
        '(`tape.watch(x)`) or a `tf.Variable` of data that is a source of `tape.gradient`/`jacobian`/`batch_jacobian`; in JAX ' +
        'the argument `jax.grad`/`jacfwd`/`jacrev`/`hessian`/`value_and_grad` differentiate against (`jax.grad(f)(x)`, ' +
        '`jax.vmap(jax.grad(f))(x)`, `df(x)` with `df = jax.grad(f, argnums=1)`) — whose value comes from a normalization: ' +
        'scikit-learn `MinMaxScaler`/`StandardScaler`/`RobustScaler`/`MaxAbsScaler` `.transform`, a manual `(x - a) / b` or ' +
        '`2 * (x - lb) / (ub - lb) - 1`, a Keras `Normalization` layer applied outside the model — when the derivative is ' +
        'not multiplied or divided by the scaler\'s factor afterwards. Follows helper functions of the same file (seed 000 ' +
        'normalizes in a helper) and data a class stores in an attribute (`self.x_scaled = scaler.transform(x)` in ' +
        '`__init__`, differentiated against in another method), normalizing helpers imported from other files of the ' +
        'workspace, and batches of a `DataLoader` over a dataset class of the file whose `__getitem__` returns normalized ' +
        'inputs (`for xb, yb in loader`); when the helper is ' +
        'called from one place, the message names the caller\'s scaler (`inp_scaler.scale_`), otherwise the helper\'s ' +
        'own parameter. On the output side, ' +
        'flags `grad(y, x)` of a model\'s output that the file de-normalizes elsewhere with `out_scaler.inverse_transform` ' +
        'while the derivative skips that step.',
      whyIsThisBad:
        'The derivative is taken with respect to the normalized input, `dy/dx_norm`, but is read as `dy/dx_raw`. By the ' +
        'chain rule `dy/dx_raw = dy/dx_norm * dx_norm/dx_raw`, and `dx_norm/dx_raw` is the scaler\'s factor: `scale_` for ' +
        'MinMaxScaler, `1/std` for StandardScaler. The values look plausible and are off by a constant factor per input ' +
        '(seed 000: every derivative about 10x too large, for a MinMax scale of 0.1).',
      example: [
        '```python',
        'normalized_input = torch.from_numpy(inp_scaler.transform(inp_data))',
        'normalized_input.requires_grad_(True)',
        'output = model(normalized_input)',
        'dy_dx = torch.autograd.grad(output.sum(), normalized_input)[0]   # d/dx_norm, not d/dx_raw',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'raw = torch.from_numpy(inp_data).requires_grad_(True)            # the raw input is the leaf',
        'scale = torch.as_tensor(inp_scaler.scale_)',
        'shift = torch.as_tensor(inp_scaler.min_)',
        'output = model(raw * scale + shift)                              # normalize inside the graph',
        'dy_dx = torch.autograd.grad(output.sum(), raw)[0]                # d/dx_raw',
        '# or keep the normalized leaf and apply the chain rule: dy_dx = d_norm * torch.as_tensor(inp_scaler.scale_)',
        '```',
      ].join('\n'),
      knownProblems:
        'The rule cannot know in which units the derivative is wanted: a model that is deliberately studied in normalized ' +
        'coordinates (a PINN posed on the unit square) is flagged too — suppress with `# noqa: AGL003`. Multiplication ' +
        'or division of the derivative by anything named like a scale (`scale`, `std`, `sigma`, `range`, `var`), or by an ' +
        'expression that reads what the normalization divided by (`/ sd` after `(x - mu) / sd`) or the scaler itself, is ' +
        'taken as the chain rule being applied. The normalization must be visible in the file (or a helper or attribute ' +
        'of it): scaled data passed in from another module, or loaded already scaled, is not followed. In JAX, only a ' +
        'literal `argnums` is followed, and an argument named for parameters (`state.params`, `actor_params`, ' +
        '`variables`) is a derivative for training, never reported. On the output side, only a derivative of a model call whose result this file ' +
        'de-normalizes with `inverse_transform` is flagged, and any arithmetic or helper call on the differentiated path ' +
        'is taken as a de-normalization. A scaler whose class cannot be traced gets a generic factor in the message. A point ' +
        'plus a step computed from that point (`x + lam(x) * w`, an attack\'s projection) and an iterate updated from itself ' +
        '(`x1 = (x1 + eta * d).clamp(0, 1)`) are taken to be in the point\'s units, so a normalized input added to the raw ' +
        'input it was computed from is not reported. Two items of one container subtracted (`(hi - lo) / 2`, the half-width of a ' +
        'range) are not a normalization, and a derivative that only steps the leaf itself or makes a new point from it ' +
        '(`adv = adv - step * grad.sign()`, `x_adv = x + eps * x.grad.sign()`, an attack in the leaf\'s own units) is not ' +
        'reported. Only the normalization is looked for, not a raw-unit use of the derivative: a model deliberately posed ' +
        'in normalized coordinates whose derivatives are used there is reported.',
      fixSafety: 'No automatic fix: moving the leaf or applying the factor changes the program\'s structure.',
    },
  },

  check(ctx) {
    const m = ctx.model;
    checkOutputSide(ctx);
    for (const p of tapePoints(m)) judge(ctx, p);
    const marks = leafMarks(m);
    // A transform's input that is also a marked leaf is reported once, at its mark (below).
    const marked = new Set<Binding>(marks.flatMap((mark) => leafBindings(m, mark)));
    for (const p of jaxPoints(m)) {
      if (p.value.type === 'identifier' && m.isUse(p.value) && m.reachingBindings(p.value).some((b) => marked.has(b))) continue;
      judge(ctx, p);
    }
    if (marks.length === 0) return;
    // Every place a derivative is taken, with the expressions naming what it is taken with respect to.
    const sites: { node: PyNode; wrt: PyNode[] }[] = [];
    for (const c of m.calls) {
      if (c.qname === 'torch.autograd.grad' || c.qname === 'torch.autograd.functional.jacobian' || c.qname === 'torch.autograd.functional.hessian') {
        const x = m.argument(c, 'inputs', c.qname);
        if (x.kind === 'found') sites.push({ node: c.node, wrt: elements(x.node) });
      } else if (c.method === 'gradient' && c.positional[1]) sites.push({ node: c.node, wrt: elements(c.positional[1]) });
    }
    for (const g of gradReads(m)) {
      const obj = field(g, 'object');
      if (obj) sites.push({ node: g, wrt: [unparen(obj)] });
    }
    if (sites.length === 0) return;
    // The derivative sites by the bindings that reach their `wrt` names, built once: testing every site
    // against every leaf made a file of n cells take n² lookups.
    const sitesByBinding = new Map<Binding, number[]>();
    sites.forEach((s, i) => {
      for (const e of s.wrt) {
        if (e.type !== 'identifier' || !m.isUse(e)) continue;
        for (const b of m.reachingBindings(e)) {
          const list = sitesByBinding.get(b);
          if (!list) sitesByBinding.set(b, [i]);
          else if (list[list.length - 1] !== i) list.push(i);
        }
      }
    });
    for (const mark of marks) {
      const value = leafValue(m, mark);
      if (!value) continue;
      const bindings = leafBindings(m, mark);
      if (bindings.length === 0) continue;
      const hit = new Set<number>();
      for (const b of bindings) for (const i of sitesByBinding.get(b) ?? []) hit.add(i);
      const derivatives = [...hit].sort((x, y) => x - y).map((i) => sites[i].node);
      if (derivatives.length === 0) continue;
      judge(ctx, { value, marker: mark.marker, derivatives, names: new Set(bindings.map((b) => b.name)), kind: 'leaf' });
    }
  },
};

/** A point derivatives are taken at: the value it holds, where it is marked, and the derivative calls. */
interface Point {
  value: PyNode;
  /** Where the diagnostic goes: the `requires_grad` marker, the `tape.watch(...)`, the `jax.grad(f)(x)` call. */
  marker: PyNode;
  derivatives: PyNode[];
  /** The names the point is bound to (an update of one of them from the derivative is a step in its own units). */
  names: ReadonlySet<string>;
  kind: 'leaf' | 'watched' | 'variable' | 'jax' | 'functional';
}

/** The scale-named products of each model, computed once (checking every product for every point was quadratic). */
const scaleProducts = new WeakMap<SemanticModel, PyNode[]>();

function judge(ctx: RuleContext, p: Point): void {
  const m = ctx.model;
  const home = m.enclosingFunction(p.marker)?.node ?? null;
  let norm = findNormalization(m, p.value, home);
  for (const item of norm ? [] : loaderItems(m, p.value)) {
    norm = findNormalization(m, item, home);
    if (norm) break;
  }
  if (!norm) return;
  // The chain rule applied by hand: the derivative is multiplied/divided by a scale.
  const flow = m.flow({ nodes: p.derivatives });
  let products = scaleProducts.get(m);
  if (!products) {
    products = nodesOfType(m.tree, 'binary_operator').filter((n) => {
      const op = field(n, 'operator');
      return op !== null && (m.textOf(op) === '*' || m.textOf(op) === '/');
    });
    scaleProducts.set(m, products);
  }
  // A side that names a scale, or that reads what the normalization divided by (`/ sd` after `(x - mu) / sd`).
  const converts = (t: string): boolean => SCALE_NAME.test(t) || (norm.by.length > 0 && (t === norm.by || t.includes(norm.by)));
  const scaled = products.some((n) => {
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (!l || !r) return false;
    const lt = m.textOf(l);
    const rt = m.textOf(r);
    if (!converts(lt) && !converts(rt)) return false;
    const other = flow.reaches(l) ? rt : flow.reaches(r) ? lt : null;
    return other !== null && converts(other);
  });
  if (scaled) return;
  // The derivative steps the point itself (`adv = adv - step * grad.sign()`, an attack's or optimizer's update): it is
  // used in the units it was taken in, whatever they are.
  // So does a new point made from it (`x_adv = x + eps * x.grad.sign()`, `(x - lr * g).clamp(0, 1)`).
  const stepsItself = m.bindings.some(
    (b) => b.kind === 'assign' && !!b.value && flow.reaches(b.value) !== null && (p.names.has(b.name) ? usesAnyName(m, b.value, p.names) : stepFrom(m, b.value, p.names)),
  );
  if (stepsItself) return;
  if (m.functions.some((f) => f.returns.some((r) => flow.reaches(r) !== null && stepFrom(m, r, p.names)))) return;
  const tail =
    `derivatives with respect to it are in normalized units. For derivatives in raw input units multiply by \`${norm.factor}\` ` +
    `(${norm.note}), or ${p.kind === 'jax' ? 'differentiate a function of the raw input that normalizes it with jax.numpy operations' : p.kind === 'functional' ? 'differentiate a function of the raw input that normalizes it with tensor operations' : p.kind === 'leaf' ? 'make the raw input the leaf and normalize it with tensor operations inside the differentiated path' : 'watch the raw input and normalize it inside the tape'}.`;
  const head =
    p.kind === 'leaf' ? 'This tensor is the output of' :
    p.kind === 'watched' ? 'The tensor this tape watches is the output of' :
    p.kind === 'variable' ? 'This variable, a source of the tape\'s derivative, holds the output of' :
    p.kind === 'functional' ? 'The input this derivative is evaluated at is the output of' :
    'The point this derivative is evaluated at is the output of';
  ctx.report({
    node: p.marker,
    message: `${head} ${norm.what}: ${tail}`,
    related: [{ node: norm.node, message: 'the input is normalized here' }],
  });
}

/**
 * Whether `expr` is one of `names` plus or minus something (through `.clamp(...)`-like method calls and
 * `torch.clamp(v, ...)`-like calls on it): a point stepped from the named one, in its units.
 */
function stepFrom(m: SemanticModel, expr: PyNode, names: ReadonlySet<string>): boolean {
  let e = unparen(expr);
  for (let depth = 0; depth < 3 && e.type === 'call'; depth++) {
    const fn = field(e, 'function');
    const c = m.call(e);
    const inner = fn?.type === 'attribute' && !c?.qname ? field(fn, 'object') : (c?.positional[0] ?? null);
    if (!inner) return false;
    e = unparen(inner);
  }
  if (e.type !== 'binary_operator') return false;
  const op = field(e, 'operator');
  if (!op || (m.textOf(op) !== '+' && m.textOf(op) !== '-')) return false;
  return [field(e, 'left'), field(e, 'right')].some((x) => !!x && unparen(x).type === 'identifier' && names.has(m.textOf(unparen(x))));
}

/** Whether `expr` reads one of `names` in its own text. */
function usesAnyName(m: SemanticModel, expr: PyNode, names: ReadonlySet<string>): boolean {
  let hit = false;
  const go = (n: PyNode): void => {
    if (hit) return;
    if (n.type === 'identifier' && names.has(m.textOf(n))) hit = true;
    else for (const c of n.children) go(c);
  };
  go(expr);
  return hit;
}

/** What a factor that converts a derivative between normalized and raw units is usually called. */
const SCALE_NAME = /scale|std|sigma|range|var|factor/i;

/** Library arithmetic that may de-normalize a model's output on the differentiated path. */
const DENORMALIZING_OPS = /^(torch\.(mul|div|add|sub|addcmul)|tensorflow\.(math\.)?(multiply|divide|add|subtract|truediv))$/;

const OUTPUT_FACTORS: Record<string, (r: string) => string> = {
  MinMaxScaler: (r) => `1 / ${r}.scale_`,
  StandardScaler: (r) => `${r}.scale_`,
  RobustScaler: (r) => `${r}.scale_`,
  MaxAbsScaler: (r) => `${r}.scale_`,
};

/**
 * The output side: `grad(y, x)` of the model's normalized output while the file turns that same output
 * into raw units with `out_scaler.inverse_transform(...)` elsewhere — the derivative skips the
 * de-normalization. Silent when anything that could de-normalize (arithmetic, a helper) is on the path.
 */
function checkOutputSide(ctx: RuleContext): void {
  const m = ctx.model;
  const inverses = m.calls.filter((c) => c.method === 'inverse_transform' && c.receiver && c.positional[0]);
  if (inverses.length === 0) return;
  // What each inverse_transform's argument is computed from, traced once (not once per grad call: a file
  // with many of both was quadratic).
  const tracedFrom = new Map<number, Set<number>>();
  const reachedFrom = (inv: (typeof inverses)[number]): Set<number> => {
    let seen = tracedFrom.get(inv.node.id);
    if (!seen) {
      const ids = new Set<number>();
      m.traceBack(inv.positional[0], (n) => {
        ids.add(n.id);
        return true;
      });
      tracedFrom.set(inv.node.id, (seen = ids));
    }
    return seen;
  };
  // The derivatives and what each differentiates: `torch.autograd.grad(outputs, ...)`, `tape.gradient(target, ...)`.
  const derivatives: { call: CallInfo; y: PyNode; name: string }[] = [];
  for (const c of m.calls) {
    if (c.qname !== 'torch.autograd.grad') continue;
    const y = m.argument(c, 'outputs', 'torch.autograd.grad');
    if (y.kind === 'found') derivatives.push({ call: c, y: y.node, name: 'grad' });
  }
  for (const tape of findTapes(m)) {
    for (const u of tape.uses) {
      const y = u.keywords.get('target') ?? u.positional[0];
      if (y) derivatives.push({ call: u, y, name: `${tape.name}.${u.method}` });
    }
  }
  for (const { call: c, y: target, name } of derivatives) {
    const y = { node: target };
    const modelCalls = new Set<number>();
    let denormalized = false;
    m.traceBack(y.node, (n) => {
      if (denormalized) return false;
      if (n.type === 'binary_operator') {
        const op = field(n, 'operator');
        if (op && m.textOf(op) !== '**') denormalized = true;
      }
      if (n.type === 'call') {
        const ci = m.call(n);
        if (!ci) return true;
        if (ci.local || ci.method === 'inverse_transform' || (ci.qname && DENORMALIZING_OPS.test(ci.qname))) {
          denormalized = true;
          return false;
        }
        if (isModelCall(m, ci) && ci.method === null) {
          modelCalls.add(n.id);
          return false;
        }
      }
      return true;
    });
    if (denormalized || modelCalls.size === 0) continue;
    const inverse = inverses.find((inv) => {
      const seen = reachedFrom(inv);
      for (const id of modelCalls) if (seen.has(id)) return true;
      return false;
    });
    if (!inverse || !inverse.receiver) continue;
    const r = m.textOf(inverse.receiver);
    const cls = sklearnClass(m, inverse.receiver);
    const factor = cls && OUTPUT_FACTORS[cls] ? `multiply by \`${OUTPUT_FACTORS[cls](r)}\` (${cls})` : `multiply by \`1 / ${r}.scale_\` for a MinMaxScaler, by \`${r}.scale_\` for a StandardScaler`;
    const line = positionAt(ctx.tree.lineStarts, inverse.node.start).line + 1;
    ctx.report({
      node: c.node,
      message:
        `\`${name}\` differentiates the model's normalized output \`${m.textOf(y.node)}\`, but this file turns that output into raw ` +
        `units with \`${r}.inverse_transform\` (line ${line}): the derivative skips that step and is in normalized output units. ` +
        `For raw units ${factor}, or de-normalize with tensor arithmetic before differentiating.`,
      related: [{ node: inverse.node, message: 'the output is de-normalized here, outside the differentiated path' }],
    });
  }
}

/**
 * TensorFlow: a tensor a tape watches (`tape.watch(x_scaled)`), or a `tf.Variable` of data, that a
 * `tape.gradient` / `jacobian` / `batch_jacobian` of that tape takes as its source.
 */
function tapePoints(m: SemanticModel): Point[] {
  const points: Point[] = [];
  for (const tape of findTapes(m)) {
    // Each use's sources, as the bindings their names reach.
    const uses = tape.uses
      .map((u) => ({ node: u.node, sources: (u.keywords.get('sources') ?? u.positional[1]) ?? null }))
      .filter((u): u is { node: PyNode; sources: PyNode } => u.sources !== null)
      .map((u) => ({ node: u.node, names: elements(u.sources).filter((e) => e.type === 'identifier' && m.isUse(e)) }));
    const usesOf = (bs: readonly Binding[]): PyNode[] =>
      uses.filter((u) => u.names.some((e) => m.reachingBindings(e).some((b) => bs.includes(b)))).map((u) => u.node);
    const watched = new Set<Binding>();
    for (const w of tape.watches) {
      const arg = w.positional[0] ? unparen(w.positional[0]) : null;
      if (!arg || arg.type !== 'identifier' || !m.isUse(arg)) continue;
      const bs = m.reachingBindings(arg);
      bs.forEach((b) => watched.add(b));
      const derivatives = usesOf(bs);
      if (derivatives.length > 0) points.push({ value: arg, marker: w.node, derivatives, names: new Set([m.textOf(arg)]), kind: 'watched' });
    }
    // A source that is a `tf.Variable(data)` of this file, not watched by hand (variables are watched automatically).
    for (const u of uses) {
      for (const e of u.names) {
        for (const b of m.reachingBindings(e)) {
          if (watched.has(b)) continue;
          const v = b.value ? unparen(b.value) : null;
          if (v?.type !== 'call' || m.qualifiedName(v) !== 'tensorflow.Variable') continue;
          const data = m.call(v)?.positional[0] ?? m.call(v)?.keywords.get('initial_value');
          if (!data) continue;
          watched.add(b);
          points.push({ value: data, marker: v, derivatives: usesOf([b]), names: new Set([b.name]), kind: 'variable' });
        }
      }
    }
  }
  return points;
}

/** Whether a call computes a derivative: `torch.autograd.grad`, a tape's `gradient`, `jax.grad(f)(...)`, `df(...)`. */
function isDerivativeCall(m: SemanticModel, c: CallInfo): boolean {
  if (c.qname === 'torch.autograd.grad' || c.qname === 'torch.autograd.functional.jacobian' || c.qname === 'torch.autograd.functional.hessian') return true;
  if (c.method && TAPE_METHODS.has(c.method) && tapeOfCall(m, c) !== null) return true;
  const callee = field(c.node, 'function');
  return !!callee && differentiatedArgument(m, callee) !== null;
}
const TAPE_METHODS = new Set(['gradient', 'jacobian', 'batch_jacobian']);

/**
 * Function transforms: `jax.grad(f)(x_s)`, `jax.vmap(jax.jacfwd(f))(x_s)`, `df(x_s)` with `df = jax.grad(f)`, the same
 * with `torch.func`, and `torch.autograd.functional.jacobian(f, x_s)` / `hessian(f, x_s)`.
 */
function jaxPoints(m: SemanticModel): Point[] {
  const points: Point[] = [];
  if (!/\b(?:jax|func|functorch|functional)\b/.test(m.source)) return points;
  for (const c of m.calls) {
    if (c.qname === 'torch.autograd.functional.jacobian' || c.qname === 'torch.autograd.functional.hessian') {
      const x = c.keywords.get('inputs') ?? c.positional[1];
      if (x) {
        const a = unparen(x);
        points.push({ value: a, marker: c.node, derivatives: [c.node], names: new Set(a.type === 'identifier' ? [m.textOf(a)] : []), kind: 'functional' });
      }
      continue;
    }
    const callee = field(c.node, 'function');
    if (!callee) continue;
    const d = differentiatedArgument(m, callee);
    if (d === null || c.hasStarArgs) continue;
    const arg = c.positional[d.index];
    if (!arg) continue;
    const a = unparen(arg);
    // A model's parameters (`state.params`, `actor_params`, `variables`): a derivative for training, in the parameters'
    // units, whatever the inputs the model was initialised or built with (CleanRL's JAX DDPG scales its actions).
    if (/(?:^|[._])(?:params|parameters|variables|weights)$/.test(m.textOf(a))) continue;
    const torchy = !d.transform.startsWith('jax.');
    points.push({ value: a, marker: c.node, derivatives: [c.node], names: new Set(a.type === 'identifier' ? [m.textOf(a)] : []), kind: torchy ? 'functional' : 'jax' });
  }
  return points;
}
