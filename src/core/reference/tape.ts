/**
 * Values and exact derivatives of a checked reference expression by forward-mode automatic
 * differentiation: the AST is flattened once into a tape (post-order, no recursion), and each point is
 * evaluated with one tangent per input carried along. Work and memory are linear in the expression's
 * size, whatever its shape: `exp` nested 30 deep, `x^x^…^x`, a product of 60 sines or a 2,000-term
 * polynomial cost what their node count costs, where the symbolic derivative (and its simplification)
 * grows much faster. The derivative rules are those of calculus; where a function has no derivative
 * (abs at 0, sign) the value is the one-sided convention noted per op. Checked against mathjs's symbolic
 * derivative and against central differences (test/unit/pipeline/reference-limits.test.ts).
 */
import type { MathNode } from 'mathjs';

type Op =
  | { k: 'const'; v: number }
  | { k: 'input'; i: number }
  | { k: 'neg' | 'pos'; a: number }
  | { k: 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'atan2'; a: number; b: number }
  | { k: 'log2arg'; a: number; b: number }
  | { k: 'fn'; f: UnaryName; a: number };

export const UNARY = [
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  'sec', 'csc', 'cot', 'exp', 'expm1', 'log', 'log10', 'log2', 'log1p', 'sqrt', 'cbrt', 'abs', 'sign',
] as const;
type UnaryName = (typeof UNARY)[number];

/** Number of arguments each whitelisted function takes: [min, max]. */
export const ARITY: Record<string, [number, number]> = {
  ...Object.fromEntries(UNARY.map((f) => [f, [1, 1] as [number, number]])),
  log: [1, 2],
  atan2: [2, 2],
  pow: [2, 2],
};

/** f(u) and f'(u) for the one-argument functions. */
function unary(f: UnaryName, u: number): [number, number] {
  switch (f) {
    case 'sin':
      return [Math.sin(u), Math.cos(u)];
    case 'cos':
      return [Math.cos(u), -Math.sin(u)];
    case 'tan': {
      const t = Math.tan(u);
      return [t, 1 + t * t];
    }
    case 'asin':
      return [Math.asin(u), 1 / Math.sqrt(1 - u * u)];
    case 'acos':
      return [Math.acos(u), -1 / Math.sqrt(1 - u * u)];
    case 'atan':
      return [Math.atan(u), 1 / (1 + u * u)];
    case 'sinh':
      return [Math.sinh(u), Math.cosh(u)];
    case 'cosh':
      return [Math.cosh(u), Math.sinh(u)];
    case 'tanh': {
      const t = Math.tanh(u);
      return [t, 1 - t * t];
    }
    case 'asinh':
      return [Math.asinh(u), 1 / Math.sqrt(u * u + 1)];
    case 'acosh':
      return [Math.acosh(u), 1 / Math.sqrt(u * u - 1)];
    case 'atanh':
      return [Math.atanh(u), 1 / (1 - u * u)];
    case 'sec': {
      const s = 1 / Math.cos(u);
      return [s, s * Math.tan(u)];
    }
    case 'csc': {
      const c = 1 / Math.sin(u);
      return [c, -c / Math.tan(u)];
    }
    case 'cot': {
      const c = 1 / Math.tan(u);
      return [c, -(1 + c * c)];
    }
    case 'exp': {
      const e = Math.exp(u);
      return [e, e];
    }
    case 'expm1':
      return [Math.expm1(u), Math.exp(u)];
    case 'log':
      return [Math.log(u), 1 / u];
    case 'log10':
      return [Math.log10(u), 1 / (u * Math.LN10)];
    case 'log2':
      return [Math.log2(u), 1 / (u * Math.LN2)];
    case 'log1p':
      return [Math.log1p(u), 1 / (1 + u)];
    case 'sqrt': {
      const s = Math.sqrt(u);
      return [s, 1 / (2 * s)];
    }
    case 'cbrt': {
      const c = Math.cbrt(u);
      return [c, 1 / (3 * c * c)];
    }
    case 'abs':
      // Derivative sign(u): 0 at u = 0 (a subgradient), where the symbolic u/|u| would be NaN.
      return [Math.abs(u), Math.sign(u)];
    case 'sign':
      return [Math.sign(u), 0];
  }
}

export interface Tape {
  ops: Op[];
  /** Number of inputs (tangent directions). */
  n: number;
}

/**
 * Flatten a checked AST (only the node kinds `checkNode` lets through) into a tape. Iterative: an
 * expression nested deeper than the JavaScript stack is fine here.
 */
export function buildTape(root: MathNode, inputs: string[]): Tape {
  const ops: Op[] = [];
  const index = new Map(inputs.map((name, i) => [name, i]));
  const slot = new Map<MathNode, number>();
  const stack: { node: MathNode; expanded: boolean }[] = [{ node: root, expanded: false }];
  const childrenOf = (node: MathNode): MathNode[] => {
    const n = node as MathNode & Record<string, unknown>;
    if (node.type === 'ParenthesisNode') return [n.content as MathNode];
    if (node.type === 'OperatorNode' || node.type === 'FunctionNode') return n.args as MathNode[];
    return [];
  };
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (!top.expanded) {
      top.expanded = true;
      const kids = childrenOf(top.node);
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], expanded: false });
      continue;
    }
    stack.pop();
    const node = top.node as MathNode & Record<string, unknown>;
    const arg = (i: number): number => slot.get(childrenOf(top.node)[i]) as number;
    let op: Op;
    switch (top.node.type) {
      case 'ConstantNode':
        op = { k: 'const', v: node.value as number };
        break;
      case 'SymbolNode': {
        const name = node.name as string;
        const i = index.get(name);
        if (i !== undefined) op = { k: 'input', i };
        else if (name === 'pi') op = { k: 'const', v: Math.PI };
        else if (name === 'e') op = { k: 'const', v: Math.E };
        else throw new Error(`internal: unchecked symbol '${name}'`);
        break;
      }
      case 'ParenthesisNode':
        slot.set(top.node, arg(0));
        continue;
      case 'OperatorNode': {
        const o = node.op as string;
        const nargs = (node.args as MathNode[]).length;
        if (nargs === 1) op = { k: o === '-' ? 'neg' : 'pos', a: arg(0) };
        else {
          const k = ({ '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '^': 'pow' } as const)[o as '+' | '-' | '*' | '/' | '^'];
          if (!k) throw new Error(`internal: unchecked operator '${o}'`);
          op = { k, a: arg(0), b: arg(1) };
        }
        break;
      }
      case 'FunctionNode': {
        const name = (node.fn as { name: string }).name;
        const nargs = (node.args as MathNode[]).length;
        if (name === 'pow') op = { k: 'pow', a: arg(0), b: arg(1) };
        else if (name === 'atan2') op = { k: 'atan2', a: arg(0), b: arg(1) };
        else if (name === 'log' && nargs === 2) op = { k: 'log2arg', a: arg(0), b: arg(1) };
        else op = { k: 'fn', f: name as UnaryName, a: arg(0) };
        break;
      }
      default:
        throw new Error(`internal: unchecked node ${top.node.type}`);
    }
    slot.set(top.node, ops.length);
    ops.push(op);
  }
  return { ops, n: inputs.length };
}

/**
 * Evaluate the tape at every point: `x[i][r]` is input i at point r. Returns the values and, when
 * `wrt` is given, d value / d input for each input in `wrt` (indices into the inputs).
 */
export function evaluateTape(tape: Tape, x: Float64Array[], wrt: number[] = []): { value: Float64Array; derivatives: Float64Array[] } {
  const { ops } = tape;
  const m = ops.length;
  const rows = x.length ? x[0].length : 0;
  const d = wrt.length;
  const value = new Float64Array(rows);
  const derivatives = wrt.map(() => new Float64Array(rows));
  const v = new Float64Array(m);
  const t = new Float64Array(m * d); // t[j*d + q]: d op_j / d input wrt[q]
  const which = new Int32Array(tape.n).fill(-1);
  wrt.forEach((i, q) => (which[i] = q));
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < m; j++) {
      const op = ops[j];
      const o = j * d;
      switch (op.k) {
        case 'const':
          v[j] = op.v;
          for (let q = 0; q < d; q++) t[o + q] = 0;
          break;
        case 'input': {
          v[j] = x[op.i][r];
          for (let q = 0; q < d; q++) t[o + q] = 0;
          const q = which[op.i];
          if (q >= 0) t[o + q] = 1;
          break;
        }
        case 'pos':
          v[j] = v[op.a];
          for (let q = 0; q < d; q++) t[o + q] = t[op.a * d + q];
          break;
        case 'neg':
          v[j] = -v[op.a];
          for (let q = 0; q < d; q++) t[o + q] = -t[op.a * d + q];
          break;
        case 'add':
          v[j] = v[op.a] + v[op.b];
          for (let q = 0; q < d; q++) t[o + q] = t[op.a * d + q] + t[op.b * d + q];
          break;
        case 'sub':
          v[j] = v[op.a] - v[op.b];
          for (let q = 0; q < d; q++) t[o + q] = t[op.a * d + q] - t[op.b * d + q];
          break;
        case 'mul': {
          const a = v[op.a];
          const b = v[op.b];
          v[j] = a * b;
          for (let q = 0; q < d; q++) {
            const da = t[op.a * d + q];
            const db = t[op.b * d + q];
            t[o + q] = (da === 0 ? 0 : da * b) + (db === 0 ? 0 : a * db);
          }
          break;
        }
        case 'div': {
          const a = v[op.a];
          const b = v[op.b];
          v[j] = a / b;
          for (let q = 0; q < d; q++) {
            const da = t[op.a * d + q];
            const db = t[op.b * d + q];
            t[o + q] = (da === 0 ? 0 : da / b) - (db === 0 ? 0 : (a * db) / (b * b));
          }
          break;
        }
        case 'pow': {
          const a = v[op.a];
          const b = v[op.b];
          const p = Math.pow(a, b);
          v[j] = p;
          for (let q = 0; q < d; q++) {
            const da = t[op.a * d + q];
            const db = t[op.b * d + q];
            // b * a^(b-1) * da, plus a^b * log(a) * db only where the exponent moves: (-2)^3 has a
            // derivative in a although log(-2) is NaN.
            let g = da === 0 ? 0 : b * Math.pow(a, b - 1) * da;
            if (db !== 0) g += p * Math.log(a) * db;
            t[o + q] = g;
          }
          break;
        }
        case 'atan2': {
          const y = v[op.a];
          const xx = v[op.b];
          v[j] = Math.atan2(y, xx);
          const den = xx * xx + y * y;
          for (let q = 0; q < d; q++) t[o + q] = (xx * t[op.a * d + q] - y * t[op.b * d + q]) / den;
          break;
        }
        case 'log2arg': {
          // log(a, b) = ln a / ln b
          const a = v[op.a];
          const b = v[op.b];
          const la = Math.log(a);
          const lb = Math.log(b);
          v[j] = la / lb;
          for (let q = 0; q < d; q++) {
            const da = t[op.a * d + q];
            const db = t[op.b * d + q];
            t[o + q] = (da === 0 ? 0 : da / (a * lb)) - (db === 0 ? 0 : (la * db) / (b * lb * lb));
          }
          break;
        }
        case 'fn': {
          const [fv, fd] = unary(op.f, v[op.a]);
          v[j] = fv;
          for (let q = 0; q < d; q++) {
            const da = t[op.a * d + q];
            t[o + q] = da === 0 ? 0 : fd * da;
          }
          break;
        }
      }
    }
    value[r] = v[m - 1];
    for (let q = 0; q < d; q++) derivatives[q][r] = t[(m - 1) * d + q];
  }
  return { value, derivatives };
}
