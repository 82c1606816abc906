/**
 * Analytic references `"Y = EXPR"`: parsed with mathjs to an AST, checked against a whitelist (input
 * names, the constants pi and e, elementary functions with their number of arguments, arithmetic
 * operators), then evaluated, values and exact derivatives together, by forward-mode differentiation
 * of the checked AST (tape.ts): the work is linear in the expression's size, so no expression can make
 * the symbolic derivative blow up. The symbolic derivative (mathjs `derivative`, simplified when it is
 * small) is still computed, within a budget, for the text shown to the user.
 *
 * Limits, each with a message saying so: MAX_EXPRESSION_CHARS characters, MAX_NESTING levels of
 * brackets, MAX_NODES nodes. Nothing can overflow the stack: the parser's recursion is bounded by the
 * nesting limit, and the tape is built and evaluated without recursion.
 *
 * Safety: an untrusted string is never evaluated as such. Only an AST that passed `checkNode` is turned
 * into a tape of arithmetic and whitelisted elementary functions; nothing else can be called.
 */
import { create, all, type MathNode } from 'mathjs';
import { ARITY, buildTape, evaluateTape, type Tape } from './tape';

// `predictable`: sqrt(-1), log(-1) give NaN instead of complex numbers.
const math = create(all, { number: 'number', predictable: true });

/** Longest expression accepted (characters). */
export const MAX_EXPRESSION_CHARS = 65_536;
/** Deepest nesting of brackets accepted (mathjs parses each level recursively). */
export const MAX_NESTING = 200;
/** Most AST nodes accepted (evaluation costs this much per point and input). */
export const MAX_NODES = 20_000;
/** The symbolic derivative is shown when it has at most this many nodes (after `foldConstants`). */
const SYMBOLIC_TEXT_NODES = 2_000;
/** Above this many nodes the symbolic derivative is not even attempted (its size grows quadratically). */
const SYMBOLIC_INPUT_NODES = 200;

export const REFERENCE_FUNCTIONS = [
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  'sec', 'csc', 'cot', 'exp', 'expm1', 'log', 'log10', 'log2', 'log1p', 'sqrt', 'cbrt', 'abs', 'pow', 'sign',
] as const;
const FUNCTIONS = new Set<string>(REFERENCE_FUNCTIONS);
const CONSTANTS = new Set(['pi', 'e']);
const OPERATORS = new Set(['+', '-', '*', '/', '^']);

/**
 * A bad reference: syntax error, unknown symbol or function, wrong number of arguments, too large,
 * wrong output name. When the position is known the message ends with the expression and a caret
 * under the offending token.
 */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly source: string,
    /** 0-based character index in `source`, when known. */
    readonly position?: number,
    /** Length of the offending token (for the caret line). */
    length = 1,
  ) {
    super(position !== undefined && source.length <= 200 ? `${message}\n    ${source}\n    ${' '.repeat(Math.max(0, position))}${'^'.repeat(Math.max(1, length))}` : message);
    this.name = 'ExpressionError';
  }
}

export interface CompiledReference {
  output: string;
  /** The expression as written (right-hand side). */
  expression: string;
  /** Symbolic derivative per input, as text (e.g. `3 * x ^ 2 - 3`). */
  derivativeText: Record<string, string>;
  /** Values at the points; `x[i]` is input i in the order given to `compileReference`. */
  value(x: Float64Array[]): Float64Array;
  /** d output / d input at the points. */
  derivative(input: string, x: Float64Array[]): Float64Array;
}

/** Split `"Y = EXPR"` into output and expression. */
export function splitReference(text: string): { output: string; expression: string } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=(?!=)(.*)$/s.exec(text);
  if (!m) throw new ExpressionError(`a reference must look like "Y = EXPRESSION" (got "${text}")`, text, 0);
  if (!m[2].trim()) throw new ExpressionError(`the expression after "${m[1]} =" is empty`, text, text.length);
  return { output: m[1], expression: m[2].trim() };
}

function positionOf(source: string, symbol: string, occurrence = 0): number | undefined {
  const re = new RegExp(`(?<![A-Za-z0-9_])${symbol.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'g');
  let m: RegExpExecArray | null = null;
  for (let k = 0; k <= occurrence; k++) {
    m = re.exec(source);
    if (!m) return undefined;
  }
  return m ? m.index : undefined;
}

/**
 * Check every node of the AST against the whitelist (iteratively: a deep tree cannot overflow the stack)
 * and count the nodes. Throws ExpressionError naming the token and its position.
 */
function checkNode(root: MathNode, inputs: Set<string>, source: string): number {
  const calls = new Map<string, number>(); // occurrences seen so far, to point at the right one
  const fail = (msg: string, symbol?: string, occurrence = 0): never => {
    const pos = symbol ? positionOf(source, symbol, occurrence) : undefined;
    throw new ExpressionError(`${msg}${pos !== undefined ? ` at character ${pos + 1}` : ''} in "${source}"`, source, pos, symbol?.length ?? 1);
  };
  let count = 0;
  const stack: MathNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (++count > MAX_NODES) {
      throw new ExpressionError(
        `the reference is too large: more than ${MAX_NODES.toLocaleString('en-US')} terms, numbers and operators; write a smaller formula, or compare with a derivative column instead (--grad)`,
        source,
      );
    }
    const n = node as MathNode & Record<string, unknown>;
    switch (node.type) {
      case 'ConstantNode': {
        if (typeof n.value !== 'number') fail(`only numbers are allowed as constants, not ${JSON.stringify(n.value)}`);
        break;
      }
      case 'SymbolNode': {
        const name = n.name as string;
        if (inputs.has(name) || CONSTANTS.has(name)) break;
        if (FUNCTIONS.has(name)) fail(`'${name}' is a function; call it as ${name}(…)`, name);
        fail(`unknown symbol '${name}'; use the inputs (${[...inputs].join(', ')}), pi or e`, name);
        break;
      }
      case 'ParenthesisNode':
        stack.push(n.content as MathNode);
        break;
      case 'OperatorNode': {
        const op = n.op as string;
        const args = n.args as MathNode[];
        if (!OPERATORS.has(op) || args.length < 1 || args.length > 2) fail(`operator '${op}' is not allowed; use + - * / ^`, op);
        for (let i = args.length - 1; i >= 0; i--) stack.push(args[i]); // text order: left first
        break;
      }
      case 'FunctionNode': {
        const fn = n.fn as MathNode & { name?: string };
        const name = fn.type === 'SymbolNode' ? fn.name ?? '' : '';
        const seen = calls.get(name) ?? 0;
        calls.set(name, seen + 1);
        if (!FUNCTIONS.has(name)) {
          fail(`unknown function '${name || fn.toString()}'; allowed: ${REFERENCE_FUNCTIONS.join(', ')}`, name || undefined);
        }
        const args = n.args as MathNode[];
        const [lo, hi] = ARITY[name] ?? [1, 1];
        if (args.length < lo || args.length > hi) {
          const want = lo === hi ? `${lo} argument${lo === 1 ? '' : 's'}` : `${lo} or ${hi} arguments`;
          fail(`${name}() takes ${want}, not ${args.length}`, name, seen);
        }
        for (let i = args.length - 1; i >= 0; i--) stack.push(args[i]); // text order: left first
        break;
      }
      default:
        fail(`'${node.toString()}' (${node.type}) is not allowed in a reference; write a formula of the inputs`);
    }
  }
  return count;
}

/** Deepest bracket nesting in the text (mathjs's parser recurses once per level). */
function nestingDepth(text: string): { depth: number; at: number } {
  let depth = 0;
  let max = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') {
      depth++;
      if (depth > max) {
        max = depth;
        at = i;
      }
    } else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return { depth: max, at };
}

/** Parse and check an expression of `inputs`; throws ExpressionError naming the symbol and position. */
export function parseExpression(expression: string, inputs: string[]): MathNode {
  return parseChecked(expression, inputs).node;
}

function parseChecked(expression: string, inputs: string[]): { node: MathNode; size: number } {
  if (expression.length > MAX_EXPRESSION_CHARS) {
    throw new ExpressionError(
      `the reference is ${expression.length.toLocaleString('en-US')} characters long; at most ${MAX_EXPRESSION_CHARS.toLocaleString('en-US')} are accepted: write a smaller formula, or compare with a derivative column instead (--grad)`,
      expression,
    );
  }
  const nest = nestingDepth(expression);
  if (nest.depth > MAX_NESTING) {
    throw new ExpressionError(`the reference nests brackets ${nest.depth} deep; at most ${MAX_NESTING} levels are accepted`, expression, nest.at);
  }
  let node: MathNode;
  try {
    node = math.parse(expression);
  } catch (err) {
    if (err instanceof RangeError) {
      throw new ExpressionError(`the reference is too deeply nested to parse (a chain of ^ or unary signs?); write a smaller formula`, expression);
    }
    const msg = err instanceof Error ? err.message : String(err);
    const m = /\(char (\d+)\)/.exec(msg);
    const pos = m ? Number(m[1]) - 1 : undefined;
    throw new ExpressionError(`syntax error in "${expression}": ${msg}`, expression, pos);
  }
  for (const name of inputs) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      if (expression.includes(name)) {
        throw new ExpressionError(`input '${name}' cannot be used in a formula: rename the column to letters, digits and _`, expression, expression.indexOf(name));
      }
    }
  }
  const size = checkNode(node, new Set(inputs), expression);
  return { node, size };
}

function countNodes(node: MathNode, limit: number): number {
  let n = 0;
  node.traverse(() => {
    n++;
  });
  return Math.min(n, limit + 1);
}

const isConst = (n: MathNode, v?: number): n is MathNode & { value: number } =>
  n.type === 'ConstantNode' && typeof (n as unknown as { value: unknown }).value === 'number' && (v === undefined || (n as unknown as { value: number }).value === v);

/**
 * One bottom-up pass of constant folding and identities (x*1, x*0, x+0, x^1, constant arithmetic): the
 * derivative mathjs writes (`3 * 1 * x ^ (3 - 1) + 0`) becomes readable (`3 * x ^ 2`). Linear in the
 * tree, unlike mathjs's `simplify` and `simplifyCore`, whose time grows much faster (a 20-term
 * polynomial's derivative took seconds). Only for display: the numbers come from the tape.
 */
function foldNode(node: MathNode): MathNode {
  const n = node as MathNode & Record<string, unknown>;
  if (node.type === 'ParenthesisNode') {
    const inner = foldNode(n.content as MathNode);
    return inner.type === 'ConstantNode' || inner.type === 'SymbolNode' ? inner : new math.ParenthesisNode(inner);
  }
  if (node.type === 'FunctionNode') {
    const args = (n.args as MathNode[]).map(foldNode);
    return new math.FunctionNode(n.fn as MathNode & { name: string }, args);
  }
  if (node.type !== 'OperatorNode') return node;
  const op = n.op as string;
  const fn = n.fn as string;
  const args = (n.args as MathNode[]).map(foldNode);
  const C = (v: number): MathNode => (v < 0 ? new math.OperatorNode('-', 'unaryMinus', [new math.ConstantNode(-v)]) : new math.ConstantNode(v));
  const val = (m: MathNode): number | null => {
    if (isConst(m)) return m.value;
    const mm = m as MathNode & Record<string, unknown>;
    if (m.type === 'OperatorNode' && mm.fn === 'unaryMinus' && isConst((mm.args as MathNode[])[0])) return -((mm.args as MathNode[])[0] as MathNode & { value: number }).value;
    return null;
  };
  if (args.length === 1) {
    const a = val(args[0]);
    if (fn === 'unaryPlus') return args[0];
    if (fn === 'unaryMinus' && a !== null) return C(-a);
    const inner = args[0] as MathNode & Record<string, unknown>;
    if (fn === 'unaryMinus' && args[0].type === 'OperatorNode' && inner.fn === 'unaryMinus') return (inner.args as MathNode[])[0];
    return new math.OperatorNode(op as '-', fn as 'unaryMinus', args);
  }
  const [x, y] = args;
  const a = val(x);
  const b = val(y);
  if (a !== null && b !== null) {
    const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : op === '^' ? a ** b : NaN;
    // Fold only what stays short and exact-looking (3 - 1, 2 * 26.6218), not 1 / 3.
    if (Number.isFinite(r) && String(Math.abs(r)).length <= 12) return C(r);
  }
  switch (op) {
    case '+':
      if (a === 0) return y;
      if (b === 0) return x;
      break;
    case '-':
      if (b === 0) return x;
      if (a === 0) return foldNode(new math.OperatorNode('-', 'unaryMinus', [y]));
      break;
    case '*':
      if (a === 0 || b === 0) return new math.ConstantNode(0);
      if (a === 1) return y;
      if (b === 1) return x;
      break;
    case '/':
      if (a === 0) return new math.ConstantNode(0);
      if (b === 1) return x;
      break;
    case '^':
      if (b === 1) return x;
      if (b === 0) return new math.ConstantNode(1);
      break;
  }
  return new math.OperatorNode(op as '+', fn as 'add', [x, y]);
}

/**
 * The symbolic derivative as text, for people to read (mathjs `derivative`, then `foldNode`), within a
 * budget; past it, or where mathjs has no rule (atan2), a sentence saying how the numbers are computed.
 */
function derivativeTextOf(node: MathNode, size: number, name: string): string {
  const fallback = `d/d${name} of the expression (computed by forward-mode differentiation; the symbolic form is too long to show)`;
  if (size > SYMBOLIC_INPUT_NODES) return fallback;
  let d: MathNode;
  try {
    d = math.derivative(node, name, { simplify: false });
  } catch {
    return `d/d${name} of the expression (computed by forward-mode differentiation)`;
  }
  if (countNodes(d, SYMBOLIC_TEXT_NODES) > SYMBOLIC_TEXT_NODES) return fallback;
  try {
    return foldNode(d).toString();
  } catch {
    return d.toString();
  }
}

/** Compile `"Y = EXPR"` (or an already split reference) for the given input names. */
export function compileReference(ref: string | { output: string; expression: string }, inputs: string[]): CompiledReference {
  const { output, expression } = typeof ref === 'string' ? splitReference(ref) : ref;
  const { node, size } = parseChecked(expression, inputs);
  let tape: Tape;
  try {
    tape = buildTape(node, inputs);
  } catch (err) {
    throw new ExpressionError(`cannot compile "${expression.length > 80 ? expression.slice(0, 80) + '…' : expression}": ${err instanceof Error ? err.message : String(err)}`, expression);
  }
  const check = (x: Float64Array[]): void => {
    if (x.length !== inputs.length) throw new Error(`expected ${inputs.length} input columns, got ${x.length}`);
  };
  const derivativeText: Record<string, string> = {};
  for (const name of inputs) derivativeText[name] = derivativeTextOf(node, size, name);
  return {
    output,
    expression,
    derivativeText,
    value(x) {
      check(x);
      return evaluateTape(tape, x).value;
    },
    derivative(input, x) {
      const i = inputs.indexOf(input);
      if (i < 0) throw new Error(`'${input}' is not an input of reference ${output} = ${expression}`);
      check(x);
      return evaluateTape(tape, x, [i]).derivatives[0];
    },
  };
}

/** Compile references and check each names one of `outputs` (at most one reference per output). */
export function compileReferences(refs: (string | { output: string; expression: string })[], inputs: string[], outputs: string[]): Map<string, CompiledReference> {
  const out = new Map<string, CompiledReference>();
  for (const r of refs) {
    const c = compileReference(r, inputs);
    if (!outputs.includes(c.output)) {
      throw new ExpressionError(`reference for '${c.output}', which is not an output (outputs: ${outputs.join(', ')})`, `${c.output} = ${c.expression}`, 0);
    }
    if (out.has(c.output)) throw new ExpressionError(`two references for '${c.output}'`, `${c.output} = ${c.expression}`, 0);
    out.set(c.output, c);
  }
  return out;
}
