/**
 * AGL040 deepxde-derivative-index: `dde.grad.hessian(y, x, i=, j=)` / `dde.grad.jacobian(y, x, i=, j=)` whose
 * indices do not select the derivative the result is named after. DeepXDE's Hessian is H[i][j] = d²y/dx_i dx_j
 * (`i` and `j` are both input columns, `component` is the output column), its Jacobian J[i][j] = dy_i/dx_j.
 * Derivative names in PDE residuals follow one convention (`du_xx`, `dy_t`, `u_xy`, `dv_yy`): the letters
 * after the underscore are the input variables, in order. Checked against DeepXDE's source and docstrings
 * (deepxde/gradients/gradients.py) and its maintainer's answers, not run (DeepXDE needs TensorFlow, PyTorch,
 * JAX or Paddle as a backend; none of them with DeepXDE is installed where this project is tested).
 */
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';

const HESSIAN = new Set(['deepxde.grad.hessian', 'deepxde.gradients.hessian']);
const JACOBIAN = new Set(['deepxde.grad.jacobian', 'deepxde.gradients.jacobian']);

/** `du_xx`, `dy_xt`, `u_yy`, `d2u_dx2` is not read (only the underscore-and-letters spelling). */
const DERIVATIVE_NAME = /^d?[a-zA-Z]\w*?_([a-z]{1,3})$/;

interface Indexed {
  call: CallInfo;
  kind: 'hessian' | 'jacobian';
  /** The name the result is bound to. */
  name: PyNode;
  /** The input letters of the name (`xx` of `du_xx`). */
  vars: string;
  /** The input columns the call selects (Hessian: i, j; Jacobian: j), null when not literal. */
  cols: (number | null)[];
}

function intArg(ctx: RuleContext, call: CallInfo, name: string, index: number, dflt: number | null): number | null | 'absent' {
  const n = call.keywords.get(name) ?? call.positional[index];
  if (!n) return dflt === null ? 'absent' : dflt;
  const u = unparen(n);
  if (u.type === 'integer') return Number(ctx.text(u));
  if (u.type === 'none') return 'absent';
  return null;
}

/** The DeepXDE derivative calls bound to one plain name each (`du_xx = dde.grad.hessian(...)`). */
function indexedCalls(ctx: RuleContext): Indexed[] {
  const out: Indexed[] = [];
  for (const call of ctx.model.calls) {
    const q = call.qname ?? '';
    const kind = HESSIAN.has(q) ? 'hessian' : JACOBIAN.has(q) ? 'jacobian' : null;
    if (!kind || call.hasKwargs || call.hasStarArgs) continue;
    const parent = call.node.parent;
    if (!parent || parent.type !== 'assignment' || field(parent, 'right') !== call.node) continue;
    const left = field(parent, 'left');
    if (!left || left.type !== 'identifier') continue;
    const m = DERIVATIVE_NAME.exec(ctx.text(left));
    if (!m) continue;
    if (kind === 'hessian') {
      // hessian(ys, xs, component=0, i=0, j=0) in DeepXDE 1.x; older releases had component=None.
      const i = intArg(ctx, call, 'i', 3, 0);
      const j = intArg(ctx, call, 'j', 4, 0);
      if (i === 'absent' || j === 'absent') continue;
      out.push({ call, kind, name: left, vars: m[1], cols: [i, j] });
    } else {
      const j = intArg(ctx, call, 'j', 3, null);
      if (j === 'absent') continue;
      out.push({ call, kind, name: left, vars: m[1], cols: [j] });
    }
  }
  return out;
}

export const AGL040: Rule = {
  meta: {
    code: 'AGL040',
    name: 'deepxde-derivative-index',
    summary: '`dde.grad.hessian`/`jacobian` indices select a different derivative than the one the result is named after, or the input is a column slice or a second parameter.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Reads the derivative names of a DeepXDE residual (`du_xx`, `dy_t`, `u_xy`: the letters after the underscore are the ' +
        'input variables) and checks the indices of the `dde.grad.hessian` / `dde.grad.jacobian` call that computes each. ' +
        'Flags a Hessian named as a pure second derivative (`dy_tt`) whose `i` and `j` differ (a mixed derivative), one named ' +
        'as a mixed derivative (`dy_xt`) whose `i` and `j` are equal, and a call whose input column disagrees with the column ' +
        'the same letter has in the other derivatives of the same function (`dy_x = jacobian(y, x, j=0)` but `dy_xx = hessian(y, x, i=1, j=1)`). ' +
        'Also a derivative with respect to a column slice of the residual\'s input (`x = X[:, 0:1]`, then `dde.grad.jacobian(u, x)`): ' +
        'the slice is a new tensor the network output does not depend on (lululxvi/deepxde#1580). And a residual that ' +
        'differentiates the same output parameter with respect to its first parameter and also with respect to another one ' +
        '(`def pde(x, t, y)`: `hessian(y, x)` and `jacobian(y, t)`): DeepXDE calls a residual as `pde(x, y)` or `pde(x, y, aux)`, ' +
        'and its network has one input tensor, the first parameter, so the other is not what the output was computed from.',
      whyIsThisBad:
        'DeepXDE\'s Hessian is `H[i][j] = d²y / dx_i dx_j`: `i` and `j` are both input columns and the output is chosen by ' +
        '`component`. Reading `i` as the output index, or giving only `j` (`i` defaults to 0), computes a mixed derivative ' +
        'where the equation needs a pure one, or the derivative along another variable. Nothing fails: the residual is a ' +
        'different PDE and the network learns its solution. The definition is DeepXDE\'s docstring (deepxde/gradients/gradients.py), ' +
        'and answers in its issue tracker repeat it (deepxde issue 284: "the indices i and j denote the input variables ... ' +
        'component will specify the output variable").',
      example: [
        '```python',
        'def pde(x, u):',
        '    u_xx = dde.grad.hessian(u, x, i=0, j=0)',
        '    u_yy = dde.grad.hessian(u, x, i=0, j=1)   # d2u/dxdy, not d2u/dy2',
        '    return u_xx + u_yy',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'def pde(x, u):',
        '    u_xx = dde.grad.hessian(u, x, i=0, j=0)',
        '    u_yy = dde.grad.hessian(u, x, i=1, j=1)',
        '    return u_xx + u_yy',
        '```',
      ].join('\n'),
      knownProblems:
        'Only results bound to a name spelled `<output>_<letters>` (`du_xx`, `u_xt`) with literal indices are read; other ' +
        'names (`laplacian`, `d2u_dx2`) say nothing about the intended derivative. A name that does not follow the convention ' +
        '(`u_xy` for something else) gives a false warning: `# noqa: AGL040`. The output component (`component=`, ' +
        'Jacobian `i=`) is not checked. The second-parameter check trusts that `dde.grad` is used inside a residual DeepXDE ' +
        'calls; a helper of one\'s own whose output really depends on two separate tensors (not DeepXDE\'s convention) is ' +
        'reported: `# noqa: AGL040`.',
      fixSafety: 'No automatic fix: which of the name and the indices is wrong is the author\'s decision.',
      references: [
        '[deepxde.grad.hessian and deepxde.grad.jacobian (DeepXDE API)](https://deepxde.readthedocs.io/en/latest/modules/deepxde.gradients.html)',
        '[deepxde/gradients/gradients.py: hessian(ys, xs, component=0, i=0, j=0), H[i, j] = d^2y / dx_i dx_j](https://github.com/lululxvi/deepxde/blob/master/deepxde/gradients/gradients.py)',
        '[lululxvi/deepxde#284: i and j are input columns, component is the output](https://github.com/lululxvi/deepxde/issues/284)',
        '[lululxvi/deepxde#1580: derivatives with respect to input slices fail; use i and j](https://github.com/lululxvi/deepxde/issues/1580)',
      ],
    },
  },

  check(ctx) {
    for (const call of ctx.model.calls) {
      const q = call.qname ?? '';
      if (!HESSIAN.has(q) && !JACOBIAN.has(q)) continue;
      const xs = call.keywords.get('xs') ?? call.positional[1];
      const sliced = xs ? slicedInput(ctx, xs) : null;
      if (!xs || !sliced) continue;
      ctx.report({
        node: call.node,
        message:
          `\`${ctx.text(xs)}\` is a column slice of the network input \`${ctx.text(sliced.base)}\` (\`${ctx.text(sliced.slice)}\`), a new tensor the ` +
          `network output does not depend on: the derivative with respect to it is None (an error when DeepXDE builds the loss). ` +
          `Pass the whole input and choose the column with \`j\` (\`dde.grad.jacobian(y, ${ctx.text(sliced.base)}, i=..., j=k)\`, ` +
          `\`dde.grad.hessian(y, ${ctx.text(sliced.base)}, i=k, j=k)\`).`,
        related: [{ node: sliced.slice, message: 'the slice is made here' }],
      });
    }
    checkSecondInputParameter(ctx);
    const all = indexedCalls(ctx);
    // One residual function at a time: its inputs' columns are its own.
    const groups = new Map<PyNode | null, Indexed[]>();
    for (const c of all) {
      const f = enclosingFunction(c.call.node);
      groups.set(f, [...(groups.get(f) ?? []), c]);
    }
    for (const calls of groups.values()) checkGroup(ctx, calls);
  },
};

/**
 * `xs` is `X[:, k:k+1]` (or a name bound to it, also by tuple unpacking) where `X` is a parameter of the
 * enclosing function: the network input DeepXDE passes to the residual. The subscript and its base, or null.
 */
function slicedInput(ctx: RuleContext, xs: PyNode): { slice: PyNode; base: PyNode } | null {
  const m = ctx.model;
  let n = unparen(xs);
  if (n.type === 'identifier' && m.isUse(n)) {
    const reach = m.reachingBindings(n);
    if (reach.length !== 1 || reach[0].kind !== 'assign' || !reach[0].value || reach[0].path.length > 1) return null;
    let v = unparen(reach[0].value);
    if (reach[0].path.length === 1) {
      if (v.type !== 'tuple' && v.type !== 'expression_list' && v.type !== 'list') return null;
      const item = namedChildren(v)[reach[0].path[0]];
      if (!item) return null;
      v = unparen(item);
    }
    n = v;
  }
  if (n.type !== 'subscript') return null;
  const parts = namedChildren(n);
  const base = parts[0] ? unparen(parts[0]) : null;
  const index = parts.slice(1);
  // A column selection: a tuple index whose first part is `:` (all rows).
  const idx = index.length === 1 && (index[0].type === 'tuple' || index[0].type === 'expression_list') ? namedChildren(index[0]) : index;
  if (!base || base.type !== 'identifier' || idx.length !== 2 || idx[0].type !== 'slice' || ctx.text(idx[0]).replace(/\s/g, '') !== ':') return null;
  if (!m.isUse(base)) return null;
  const b = m.reachingBindings(base);
  if (b.length !== 1 || b[0].kind !== 'param') return null;
  return { slice: n, base };
}

/**
 * A residual that differentiates the same output (a parameter: DeepXDE passes the network output in) with respect
 * to two different parameters of the function (`def pde(x, t, y)`: `jacobian(y, t)` and `hessian(y, x)`). DeepXDE's
 * network has one input tensor, the residual's first parameter (it calls `pde(x, y)` or `pde(x, y, aux)`); a
 * second variable is a column of it, chosen with `i`/`j`. The derivatives with respect to the other parameter are
 * reported, once the first parameter is itself differentiated against.
 */
function checkSecondInputParameter(ctx: RuleContext): void {
  const m = ctx.model;
  const paramOf = (n: PyNode | undefined): { name: string; index: number; fn: PyNode } | null => {
    if (!n) return null;
    const u = unparen(n);
    if (u.type !== 'identifier' || !m.isUse(u)) return null;
    const b = m.reachingBindings(u);
    if (b.length !== 1 || b[0].kind !== 'param') return null;
    const f = m.enclosingFunction(u);
    if (!f) return null;
    // A method's receiver is not one of the residual's arguments.
    const params = f.params.length > 0 && (f.params[0].name === 'self' || f.params[0].name === 'cls') ? f.params.slice(1) : f.params;
    const index = params.indexOf(b[0]);
    if (index < 0) return null;
    return { name: ctx.text(u), index, fn: f.node };
  };
  const byFn = new Map<PyNode, { call: CallInfo; ys: { name: string; index: number }; xs: { name: string; index: number } }[]>();
  for (const call of m.calls) {
    const q = call.qname ?? '';
    if (!HESSIAN.has(q) && !JACOBIAN.has(q)) continue;
    if (call.hasKwargs || call.hasStarArgs) continue;
    const ys = paramOf(call.keywords.get('ys') ?? call.positional[0]);
    const xs = paramOf(call.keywords.get('xs') ?? call.positional[1]);
    if (!ys || !xs || ys.fn !== xs.fn || ys.index === xs.index) continue;
    byFn.set(xs.fn, [...(byFn.get(xs.fn) ?? []), { call, ys, xs }]);
  }
  for (const calls of byFn.values()) {
    for (const c of calls) {
      if (c.xs.index === 0) continue;
      const first = calls.find((o) => o.ys.index === c.ys.index && o.xs.index === 0);
      if (!first) continue;
      const input = first.xs.name;
      ctx.report({
        node: c.call.node,
        message:
          `\`${c.ys.name}\` is differentiated with respect to \`${input}\` (line ${ctx.lineOf(first.call.node)}) and here with respect to ` +
          `\`${c.xs.name}\`, another parameter: DeepXDE's network has one input tensor, the residual's first parameter (it calls ` +
          `\`pde(x, y)\` or \`pde(x, y, aux)\`), so \`${c.xs.name}\` is not the input \`${c.ys.name}\` was computed from. Take the ` +
          `variable as a column of \`${input}\`: \`dde.grad.jacobian(${c.ys.name}, ${input}, i=<output>, j=<its column>)\`.`,
        related: [{ node: first.call.node, message: `the derivative with respect to the network input \`${input}\`` }],
      });
    }
  }
}

function enclosingFunction(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return p;
  return null;
}

function checkGroup(ctx: RuleContext, calls: Indexed[]): void {
  {
    // The column each input letter has, by the votes of every derivative named unambiguously.
    const votes = new Map<string, Map<number, number>>();
    const vote = (letter: string, col: number | null): void => {
      if (col === null) return;
      const v = votes.get(letter) ?? new Map<number, number>();
      v.set(col, (v.get(col) ?? 0) + 1);
      votes.set(letter, v);
    };
    // First derivatives name one column each; a pure Hessian counts for a letter no first derivative names.
    for (const c of calls) if (c.kind === 'jacobian' && c.vars.length === 1) vote(c.vars, c.cols[0]);
    const byJacobian = new Set(votes.keys());
    for (const c of calls) {
      if (c.kind === 'hessian' && c.vars.length === 2 && c.vars[0] === c.vars[1] && c.cols[0] === c.cols[1] && !byJacobian.has(c.vars[0])) vote(c.vars[0], c.cols[0]);
    }
    const columnOf = (letter: string): number | null => {
      const v = votes.get(letter);
      if (!v) return null;
      const ranked = [...v.entries()].sort((a, b) => b[1] - a[1]);
      // A clear majority only.
      return ranked.length === 1 || ranked[0][1] > ranked[1][1] ? ranked[0][0] : null;
    };
    const usedColumns = new Map<number, string>();
    for (const [letter] of votes) {
      const c = columnOf(letter);
      if (c !== null) usedColumns.set(c, letter);
    }
    const fn = (c: Indexed): string => ctx.text(field(c.call.node, 'function') ?? c.call.node);
    for (const c of calls) {
      const name = ctx.text(c.name);
      if (c.kind === 'hessian' && c.vars.length === 2) {
        const [i, j] = c.cols;
        if (i === null || j === null) continue;
        const pure = c.vars[0] === c.vars[1];
        if (pure && i !== j) {
          ctx.report({
            node: c.call.node,
            message:
              `\`${name}\` reads as the pure second derivative along \`${c.vars[0]}\`, but \`${fn(c)}(..., i=${i}, j=${j})\` is the mixed ` +
              `derivative d²y/dx_${i}dx_${j}: DeepXDE's Hessian is H[i][j] = d²y/dx_i dx_j, both indices are input columns ` +
              `(the output is \`component=\`). Use \`i=j=<the column of ${c.vars[0]}>\`.`,
          });
          continue;
        }
        if (!pure && i === j) {
          ctx.report({
            node: c.call.node,
            message:
              `\`${name}\` reads as the mixed derivative along \`${c.vars[0]}\` and \`${c.vars[1]}\`, but \`${fn(c)}(..., i=${i}, j=${j})\` is the pure ` +
              `second derivative d²y/dx_${i}²: DeepXDE's Hessian is H[i][j] = d²y/dx_i dx_j, both indices are input columns.`,
          });
          continue;
        }
      }
      // Letters whose column the rest of the file fixes: the call must select those columns.
      const letters = c.kind === 'hessian' ? c.vars.split('') : c.vars.length === 1 ? [c.vars] : [];
      if (letters.length !== c.cols.length) continue;
      const wrong = letters.map((l, k) => ({ l, col: c.cols[k], want: columnOf(l) })).find((x) => x.col !== null && x.want !== null && x.col !== x.want);
      if (!wrong) continue;
      // Only when the column selected belongs to another letter (a genuine mix-up, not a one-off spelling).
      const other = usedColumns.get(wrong.col!);
      if (!other || other === wrong.l) continue;
      ctx.report({
        node: c.call.node,
        message:
          `\`${name}\` is a derivative along \`${wrong.l}\`, which the other derivatives of this function take as input column ${wrong.want}, ` +
          `but \`${fn(c)}\` selects column ${wrong.col} here (the column of \`${other}\`). In DeepXDE the input columns are ` +
          `\`j\` of \`jacobian\` and \`i\`, \`j\` of \`hessian\`.`,
      });
    }
  }
}
