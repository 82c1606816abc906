/**
 * AGL067 inputs-on-a-curve: the training inputs are built by stacking columns made from two or more 1-D grids of the
 * same length (`x = linspace(a, b, N)`, `t = linspace(c, d, N)`, `torch.cat([x, t], 1)`), so every point's coordinates
 * are functions of one index: the points lie on a line (or a curve) in input space, not over the domain. A network
 * trained on them is determined only along that curve, and the partial derivatives the code then takes with respect to
 * the separate inputs (a PINN residual's `u_x` and `u_t`, `dy/dx1` and `dy/dx2`) are not identifiable (seed 001:
 * `x2 = 1.5 * linspace(...)` of the same length as `x1`).
 *
 * Syntactic, over the semantic model's bindings and forward data flow: grids are `linspace`/`arange` calls of NumPy,
 * PyTorch, TensorFlow or JAX, followed through names, element-wise arithmetic with constants, reshapes and tensor
 * conversions. A meshgrid, random sampling or a Cartesian product makes no grid column.
 */
import type { Rule, RuleContext } from '../rule';
import { argumentForParam, type CallInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { derivativeInputs } from '../derivatives';

/** 1-D grids and the position and keyword of their point count (`linspace`); `arange` is keyed by all its arguments. */
const LINSPACES = new Set(['numpy.linspace', 'torch.linspace', 'tensorflow.linspace', 'jax.numpy.linspace', 'tensorflow.lin_space']);
const ARANGES = new Set(['numpy.arange', 'torch.arange', 'tensorflow.range', 'jax.numpy.arange']);

/** Calls that put arrays side by side as columns (or rows, transposed later): the stacked elements are coordinates. */
const STACKS = new Set([
  'numpy.stack', 'numpy.column_stack', 'numpy.hstack', 'numpy.vstack', 'numpy.concatenate', 'numpy.array', 'numpy.asarray', 'numpy.dstack',
  'torch.stack', 'torch.cat', 'torch.concat', 'torch.hstack', 'torch.vstack', 'torch.column_stack', 'torch.tensor', 'torch.as_tensor',
  'tensorflow.stack', 'tensorflow.concat', 'tensorflow.constant', 'tensorflow.convert_to_tensor',
  'jax.numpy.stack', 'jax.numpy.column_stack', 'jax.numpy.hstack', 'jax.numpy.vstack', 'jax.numpy.concatenate', 'jax.numpy.array', 'jax.numpy.asarray',
  'pandas.DataFrame',
]);

/** Calls and methods that keep a column's values (their order and count): conversions, reshapes, dtype and device moves. */
const KEEPS_VALUES = new Set([
  'torch.tensor', 'torch.as_tensor', 'torch.from_numpy', 'torch.Tensor', 'torch.FloatTensor', 'numpy.array', 'numpy.asarray', 'numpy.ravel',
  'numpy.reshape', 'numpy.expand_dims', 'torch.reshape', 'torch.unsqueeze', 'torch.flatten', 'tensorflow.constant', 'tensorflow.convert_to_tensor',
  'tensorflow.reshape', 'tensorflow.expand_dims', 'tensorflow.Variable', 'jax.numpy.array', 'jax.numpy.asarray', 'jax.numpy.reshape', 'jax.numpy.expand_dims',
  'numpy.sin', 'numpy.cos', 'numpy.exp', 'numpy.log', 'numpy.sqrt', 'torch.sin', 'torch.cos', 'torch.exp', 'torch.log', 'torch.sqrt',
]);
const KEEPS_VALUES_METHODS = new Set([
  'reshape', 'view', 'unsqueeze', 'flatten', 'ravel', 'float', 'double', 'to', 'cuda', 'cpu', 'astype', 'requires_grad_', 'clone',
  'detach', 'squeeze', 'type', 'numpy', 'T',
]);

/** How a grid's values are laid out: a 1-D array, a column `(N, 1)` or a row `(1, N)`. */
type Layout = 'flat' | 'col' | 'row';

/** Where a column's values come from: a grid call, the key of its point count, and the layout of the stacked value. */
interface GridColumn {
  grid: PyNode;
  count: string;
  layout: Layout;
  /** The expression stacked. */
  element: PyNode;
}

/** The literal value of an integer expression, through a name bound once to a literal; else its text. */
function countKey(m: SemanticModel, e: PyNode): string {
  const n = unparen(e);
  if (n.type === 'integer') return String(Number(m.textOf(n).replace(/_/g, '')));
  if (n.type === 'identifier' && m.isUse(n)) {
    const bs = m.reachingBindings(n);
    if (bs.length === 1 && bs[0].kind === 'assign' && bs[0].path.length === 0 && bs[0].value && unparen(bs[0].value).type === 'integer') return countKey(m, bs[0].value);
  }
  return m.textOf(n).replace(/\s+/g, '');
}

/** The integer a literal (or `-1`) is, or null. */
function intLiteral(m: SemanticModel, e: PyNode | undefined): number | null {
  if (!e) return null;
  const t = m.textOf(unparen(e)).replace(/\s+/g, '');
  return /^-?\d+$/.test(t) ? Number(t) : null;
}

/** The layout a reshape to `sizes` gives: `(-1, 1)`/`(N, 1)` a column, `(1, -1)` a row, `(-1,)` flat; null otherwise. */
function reshapeLayout(m: SemanticModel, sizes: readonly PyNode[]): Layout | null {
  const args = sizes.length === 1 && (unparen(sizes[0]).type === 'tuple' || unparen(sizes[0]).type === 'list') ? namedChildren(unparen(sizes[0])) : sizes;
  if (args.length === 1) return intLiteral(m, args[0]) === -1 ? 'flat' : null;
  if (args.length !== 2) return null;
  if (intLiteral(m, args[1]) === 1) return 'col';
  if (intLiteral(m, args[0]) === 1) return 'row';
  return null;
}

/** The layout after adding an axis at `k` to a value of layout `l`. */
function withAxis(l: Layout, k: number | null): Layout | null {
  if (l !== 'flat' || k === null) return null;
  return k === 0 ? 'row' : k === 1 || k === -1 ? 'col' : null;
}

/**
 * The grid an expression's values are an element-wise function of, with constants only, and the layout of the value;
 * null when there is none.
 */
function gridOf(m: SemanticModel, expr: PyNode, depth = 0, site: CallInfo | null = null): { grid: PyNode; count: string; layout: Layout } | null {
  if (depth > 8) return null;
  const n = unparen(expr);
  const relaid = (inner: PyNode | null | undefined, layout: (l: Layout) => Layout | null) => {
    const g = inner ? gridOf(m, inner, depth + 1, site) : null;
    const l = g ? layout(g.layout) : null;
    return g && l ? { ...g, layout: l } : null;
  };
  switch (n.type) {
    case 'identifier': {
      if (!m.isUse(n)) return null;
      const bs = m.reachingBindings(n);
      // A parameter of the function a call site calls: the argument given there (`net(x, t)` → `forward(self, x, t)`).
      if (site && bs.length === 1 && bs[0].kind === 'param' && bs[0].param?.fn === site.local) {
        const arg = argumentForParam(site, bs[0]);
        return arg ? gridOf(m, arg, depth + 1, null) : null;
      }
      if (bs.length !== 1 || bs[0].kind !== 'assign' || bs[0].path.length !== 0 || !bs[0].value) return null;
      return gridOf(m, bs[0].value, depth + 1, site);
    }
    case 'call': {
      const q = m.qualifiedName(n);
      const c = m.call(n);
      if (!c || c.hasStarArgs || c.hasKwargs) return null;
      if (q && LINSPACES.has(q)) {
        const num = c.keywords.get('num') ?? c.keywords.get('steps') ?? c.positional[2];
        // NumPy's default is 50 points; PyTorch and TensorFlow require the count.
        if (!num) return q === 'numpy.linspace' || q === 'jax.numpy.linspace' ? { grid: n, count: '50', layout: 'flat' } : null;
        return { grid: n, count: countKey(m, num), layout: 'flat' };
      }
      if (q && ARANGES.has(q)) {
        if (c.keywords.size > 0 && ![...c.keywords.keys()].every((k) => k === 'dtype' || k === 'device')) return null;
        return { grid: n, count: `arange(${c.positional.map((p) => countKey(m, p)).join(',')})`, layout: 'flat' };
      }
      if (q && /\.(?:reshape)$/.test(q)) return relaid(c.positional[0], (l) => (l === 'flat' || l === 'col' || l === 'row' ? reshapeLayout(m, c.positional.slice(1)) : null));
      if (q && /\.(?:expand_dims|unsqueeze)$/.test(q)) return relaid(c.positional[0], (l) => withAxis(l, intLiteral(m, c.positional[1] ?? c.keywords.get('axis') ?? c.keywords.get('dim'))));
      if (q && /\.(?:ravel|flatten|squeeze)$/.test(q)) return relaid(c.positional[0], () => 'flat');
      if (q && KEEPS_VALUES.has(q) && c.positional[0]) return gridOf(m, c.positional[0], depth + 1, site);
      const fn = field(n, 'function');
      if (!q && fn?.type === 'attribute' && c.method) {
        const obj = field(fn, 'object');
        if (c.method === 'reshape' || c.method === 'view') return relaid(obj, () => reshapeLayout(m, c.positional));
        if (c.method === 'unsqueeze') return relaid(obj, (l) => withAxis(l, intLiteral(m, c.positional[0] ?? c.keywords.get('dim'))));
        if (c.method === 'flatten' || c.method === 'ravel' || c.method === 'squeeze') return relaid(obj, () => 'flat');
        if (KEEPS_VALUES_METHODS.has(c.method)) return obj ? gridOf(m, obj, depth + 1, site) : null;
      }
      return null;
    }
    case 'attribute': {
      // `x.T`: a column becomes a row and back; a 1-D array stays itself.
      const attr = field(n, 'attribute');
      const obj = field(n, 'object');
      return attr && m.textOf(attr) === 'T' ? relaid(obj, (l) => (l === 'col' ? 'row' : l === 'row' ? 'col' : 'flat')) : null;
    }
    case 'subscript': {
      // `x[:, None]` a column, `x[None, :]`/`x[None]` a row, `x[:]` the same values.
      const value = field(n, 'value');
      const subs = n.children.filter((c) => c.field === 'subscript').map((s) => m.textOf(s).replace(/\s+/g, ''));
      const none = (t: string) => /^(?:None|np\.newaxis|numpy\.newaxis)$/.test(t);
      if (subs.length === 2 && subs[0] === ':' && none(subs[1])) return relaid(value, (l) => withAxis(l, 1));
      if (subs.length >= 1 && subs.length <= 2 && none(subs[0]) && (subs.length === 1 || subs[1] === ':')) return relaid(value, (l) => withAxis(l, 0));
      if (subs.length === 1 && subs[0] === ':') return value ? gridOf(m, value, depth + 1, site) : null;
      return null;
    }
    case 'binary_operator': {
      // Arithmetic with constants keeps the values a function of the index: `1.5 * x`, `(x - lo) / (hi - lo)`, `x ** 2`.
      const l = field(n, 'left');
      const r = field(n, 'right');
      if (!l || !r) return null;
      const gl = gridOf(m, l, depth + 1, site);
      const gr = gridOf(m, r, depth + 1, site);
      if (gl && gr) return gl.grid === gr.grid && gl.layout === gr.layout ? gl : null;
      if (gl && constant(r)) return gl;
      if (gr && constant(l)) return gr;
      return null;
    }
    case 'unary_operator': {
      const a = field(n, 'argument');
      return a ? gridOf(m, a, depth + 1, site) : null;
    }
    default:
      return null;
  }
}

/** A number, a name or attribute chain (a constant by convention: `np.pi`, `L`, `x_min`), or arithmetic of those. */
function constant(e: PyNode): boolean {
  const n = unparen(e);
  if (n.type === 'integer' || n.type === 'float' || n.type === 'identifier') return true;
  if (n.type === 'attribute') return constant(field(n, 'object')!);
  if (n.type === 'unary_operator') return constant(field(n, 'argument')!);
  if (n.type === 'binary_operator') return constant(field(n, 'left')!) && constant(field(n, 'right')!);
  return false;
}

/** The stacked elements of a stacking call: the list or tuple it is given. */
function stackedElements(c: CallInfo): PyNode[] {
  const first = c.positional[0] ?? c.keywords.get('tensors') ?? c.keywords.get('arrays') ?? c.keywords.get('values');
  if (!first) return [];
  const n = unparen(first);
  if (n.type === 'list' || n.type === 'tuple') return namedChildren(n);
  // `pd.DataFrame({'x1': x1, 'x2': x2})`: the dictionary's values are the columns.
  if (n.type === 'dictionary') return namedChildren(n).filter((p) => p.type === 'pair').map((p) => field(p, 'value')).filter((v): v is PyNode => v !== null);
  return [];
}

/** Whether the value of a stacking call is transposed: `.T`, `.transpose()`, `.t()`, `np.transpose(...)`, directly or through its name. */
function transposed(m: SemanticModel, call: PyNode): boolean {
  const direct = (n: PyNode): boolean => {
    const p = n.parent;
    if (!p) return false;
    if (p.type === 'attribute' && field(p, 'object') === n) {
      const a = m.textOf(field(p, 'attribute')!);
      if (a === 'T') return true;
      if ((a === 'transpose' || a === 't') && p.parent?.type === 'call') return true;
    }
    if (p.type === 'argument_list' && p.parent?.type === 'call') return /\.(?:transpose|t)$/.test(m.qualifiedName(p.parent) ?? '');
    if (p.type === 'parenthesized_expression') return direct(p);
    return false;
  };
  if (direct(call)) return true;
  const asg = call.parent;
  if (asg?.type !== 'assignment' || field(asg, 'right') !== call) return false;
  const b = m.bindings.find((x) => x.kind === 'assign' && x.value === call && x.path.length === 0);
  return !!b && m.usesOf(b).some(direct);
}

/** Whether a stacking call puts its elements side by side as the coordinates of each point. */
function coordinates(m: SemanticModel, c: CallInfo, layouts: Layout[]): boolean {
  const q = c.qname!;
  const name = q.slice(q.lastIndexOf('.') + 1);
  const axisArg = c.keywords.get('axis') ?? c.keywords.get('dim') ?? (name === 'stack' || name === 'cat' || name === 'concat' || name === 'concatenate' ? c.positional[1] : undefined);
  const axis = axisArg ? intLiteral(m, axisArg) : 0;
  if (axisArg && axis === null) return false;
  const all = (l: Layout) => layouts.every((x) => x === l);
  switch (name) {
    case 'column_stack':
      return layouts.every((l) => l !== 'row');
    case 'dstack':
      return false;
    case 'DataFrame':
      // A dictionary of columns, or a list of rows transposed.
      return c.positional[0] && unparen(c.positional[0]).type === 'dictionary' ? all('flat') : all('flat') && transposed(m, c.node);
    case 'stack':
      if (!all('flat')) return false;
      return axis === 1 || axis === -1 || (axis === 0 && transposed(m, c.node));
    case 'cat':
    case 'concat':
    case 'concatenate':
      if (all('col')) return axis === 1 || axis === -1;
      return all('row') && axis === 0 && transposed(m, c.node);
    case 'hstack':
      return all('col');
    case 'vstack':
      return (all('flat') || all('row')) && transposed(m, c.node);
    default:
      // `np.array([x1, x2])`, `torch.tensor([...])`: the elements are rows.
      return all('flat') && transposed(m, c.node);
  }
}

/** Calls that train: a backward pass, an optimizer step, Keras' `fit`/`train_on_batch`, TF's `apply_gradients`/`minimize`, optax. */
const TRAINING_METHODS = new Set(['backward', 'step', 'apply_gradients', 'minimize', 'fit', 'train_on_batch']);
/** The same as functions: `torch.autograd.backward`, optax's update applied to the parameters. */
const TRAINING_FUNCTIONS = new Set(['torch.autograd.backward', 'optax.apply_updates']);

/** The innermost loop or function around a node (the module for top-level code outside loops). */
function trainingScope(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement' || p.type === 'function_definition') return p;
  }
  return null;
}


function check(ctx: RuleContext): void {
  const m = ctx.model;
  if (!/(?:\blinspace|\barange|\.range)\s*\(/.test(m.source)) return;
  let derivatives: ReturnType<typeof derivativeInputs> | null = null;
  const training = m.calls.filter((c) => (c.method !== null && TRAINING_METHODS.has(c.method)) || (c.qname !== null && TRAINING_FUNCTIONS.has(c.qname)));
  if (training.length === 0) return;
  for (const c of m.calls) {
    if (!c.qname || !STACKS.has(c.qname)) continue;
    const items = stackedElements(c);
    if (items.length < 2) continue;
    // The stack read as written, then, when its elements are parameters of the function around it, as each call of
    // that function passes them (`forward(self, x, t)` stacking `torch.cat([x, t], 1)`, called as `net(x_col, t_col)`).
    const fn = m.enclosingFunction(c.node);
    const sites: (CallInfo | null)[] = [null, ...(fn && items.some((e) => paramOf(m, e, fn)) ? fn.callSites : [])];
    for (const site of sites) {
      const cols = gridColumns(m, c, items, site);
      if (!cols) continue;
      const reported = report(ctx, c, cols, site, training, (derivatives ??= derivativeInputs(m)));
      if (reported && site === null) break;
    }
  }
}

/** Whether a stacked element is (a function of) a parameter of `fn`. */
function paramOf(m: SemanticModel, e: PyNode, fn: NonNullable<ReturnType<SemanticModel['enclosingFunction']>>): boolean {
  let found = false;
  const go = (n: PyNode): void => {
    if (found) return;
    if (n.type === 'identifier' && m.isUse(n) && m.reachingBindings(n).some((b) => b.kind === 'param' && b.param?.fn === fn)) found = true;
    else for (const ch of n.children) go(ch);
  };
  go(e);
  return found;
}

/** The stacked columns that are functions of distinct grids of one length, laid out as coordinates; null otherwise. */
function gridColumns(m: SemanticModel, c: CallInfo, items: PyNode[], site: CallInfo | null): GridColumn[] | null {
  const byCount = new Map<string, GridColumn[]>();
  for (const e of items) {
    const g = gridOf(m, e, 0, site);
    if (!g) continue;
    const list = byCount.get(g.count) ?? [];
    if (!list.some((x) => x.grid === g.grid)) list.push({ ...g, element: e });
    byCount.set(g.count, list);
  }
  const cols = [...byCount.values()].find((l) => l.length >= 2);
  return cols && coordinates(m, c, cols.map((x) => x.layout)) ? cols : null;
}

/**
 * Report the stack `c` (or, read through a call site, that call) when what it builds is trained on and differentiated
 * with respect to. Returns whether it reported.
 */
function report(ctx: RuleContext, c: CallInfo, cols: GridColumn[], site: CallInfo | null, training: CallInfo[], derivatives: ReturnType<typeof derivativeInputs>): boolean {
  const m = ctx.model;
  const at = site ? site.node : c.node;
  const flow = m.flow({ nodes: [at] });
  const inTraining = (n: PyNode): boolean => {
    const scope = trainingScope(n);
    return scope !== null && training.some((t) => t.node.start >= scope.start && t.node.end <= scope.end);
  };
  // Trained on: given to Keras' fit, or to any call inside a loop or function that trains (a call site: itself there).
  const trainedOn =
    (site !== null && inTraining(site.node)) ||
    m.calls.some((u) => {
      const args = [...u.positional, ...u.keywords.values()];
      if (!args.some((a) => flow.reaches(a) !== null)) return false;
      return u.method === 'fit' || u.method === 'train_on_batch' || inTraining(u.node);
    });
  if (!trainedOn) return false;
  // Differentiated with respect to the stacked inputs, or to one of the grid columns by name (at the call site: the
  // arguments it passes).
  const columnNames = new Set<string>();
  for (const x of cols) {
    let e = unparen(x.element);
    if (site && e.type === 'identifier') {
      const b = m.reachingBindings(e).find((y) => y.kind === 'param');
      const arg = b ? argumentForParam(site, b) : null;
      if (arg) e = unparen(arg);
    }
    if (e.type === 'identifier') columnNames.add(m.textOf(e));
  }
  const wrt = derivatives.find((d) =>
    d.inputs.some((x) => {
      const u = unparen(x);
      if (u.type === 'identifier' && columnNames.has(m.textOf(u))) return true;
      return flow.reaches(x) !== null;
    }),
  );
  if (!wrt) return false;
  const names = site ? [...columnNames].map((n) => `\`${n}\``) : cols.map((x) => `\`${m.textOf(unparen(x.element))}\``);
  const count = cols[0].count.startsWith('arange(') ? 'the same `arange`' : `${cols[0].count} points each`;
  ctx.report({
    node: at,
    message:
      `The inputs ${site ? 'passed here' : 'stacked here'}, ${names.join(' and ')}, come from 1-D grids of the same length (${count}): every point's ` +
      'coordinates are functions of one index, so the training points lie on a line (or a curve) in input space, not ' +
      'over the domain. The network is fitted only along that line, and the partial derivatives taken with respect to ' +
      'the separate inputs are not determined by the data. Sample the domain: a meshgrid of the grids, flattened, or ' +
      'random points (`torch.rand(N, 2)`, `np.random.uniform(...)`).',
    related: [
      ...(site ? [{ node: c.node, message: 'the inputs are stacked here' }] : []),
      ...cols.map((x) => ({ node: x.grid, message: 'a 1-D grid of the same length' })),
      { node: wrt.call, message: 'a derivative with respect to these inputs' },
    ],
  });
  return true;
}

export const AGL067: Rule = {
  meta: {
    code: 'AGL067',
    name: 'inputs-on-a-curve',
    summary: 'Training inputs stacked from 1-D grids of the same length lie on a line: the partial derivatives with respect to them are not determined.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds input matrices built by stacking two or more columns that are each made from a 1-D grid of the same length ' +
        '(`linspace(a, b, N)` or the same `arange`, of NumPy, PyTorch, TensorFlow or JAX, through names, arithmetic with ' +
        'constants, reshapes and tensor conversions), when the stacked inputs are trained on (given to `fit`, or to a call ' +
        'in a loop or function that calls `backward`, `step`, `apply_gradients` or `minimize`) and the file differentiates ' +
        'with respect to them or to one of the grid columns (`autograd.grad`, a tape\'s `watch`/`gradient`, `jax.grad`, ' +
        '`.grad` after `backward`). When the stacking is in a function of the file (a module\'s `forward(self, x, t)` doing ' +
        '`torch.cat([x, t], 1)`), each call that passes it grids (`net(x_col, t_col)`) is read as well, and reported there.',
      whyIsThisBad:
        'Two grids of the same length stacked side by side do not sample a 2-D domain: the i-th point is `(x_i, t_i)`, ' +
        'both functions of `i`, so all points lie on one line (or curve). A network fitted to them is constrained only ' +
        'along that line; off it, its values are whatever the initialisation and the optimiser left. The partial ' +
        'derivatives with respect to the separate inputs are not identifiable from such data: two fits with the same data ' +
        'loss give different `dy/dx1` and `dy/dx2` (seed 001, a Keras regression on `x1 = linspace(...)` and ' +
        '`x2 = 1.5 * linspace(...)`, whose partials did not match the analytic ones). In a PINN, a residual `u_t + u_x` is ' +
        'enforced only on the diagonal `x = t`. The Train command warns about the same thing in a CSV (`inputs-collinear`).',
      example: [
        '```python',
        'x = torch.linspace(0, 1, 100).view(-1, 1).requires_grad_(True)',
        't = torch.linspace(0, 1, 100).view(-1, 1).requires_grad_(True)',
        'for epoch in range(5000):',
        '    u = net(torch.cat([x, t], dim=1))        # 100 points on the diagonal x = t',
        '    u_x = torch.autograd.grad(u.sum(), x, create_graph=True)[0]',
        '    u_t = torch.autograd.grad(u.sum(), t, create_graph=True)[0]',
        '    loss = ((u_t + u_x) ** 2).mean()',
        '    opt.zero_grad(); loss.backward(); opt.step()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'X, T = torch.meshgrid(torch.linspace(0, 1, 100), torch.linspace(0, 1, 100), indexing="ij")',
        'x = X.reshape(-1, 1).requires_grad_(True)   # 10,000 points over the square',
        't = T.reshape(-1, 1).requires_grad_(True)',
        '# or random collocation points: x, t = torch.rand(10_000, 1), torch.rand(10_000, 1)',
        '```',
      ].join('\n'),
      knownProblems:
        'Grids are recognised by their calls (`linspace`, `arange`); columns read from a file, or grids of the same length ' +
        'made by other means, are not. A model trained on a proper sample and only evaluated along a line inside the ' +
        'training loop (a periodic plot of a cross-section) would be reported; evaluation after the loop is not. Columns ' +
        'that are functions of one grid call (`[x, x ** 2]`, polynomial features) are not reported.',
      fixSafety: 'No automatic fix: how to sample the domain (a grid, random points, a Latin hypercube) is the author\'s choice.',
      references: [
        '[numpy.meshgrid](https://numpy.org/doc/stable/reference/generated/numpy.meshgrid.html)',
        '[torch.meshgrid](https://pytorch.org/docs/stable/generated/torch.meshgrid.html)',
      ],
    },
  },
  check,
};
