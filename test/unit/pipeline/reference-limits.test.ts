/**
 * References under hostile input: expressions whose symbolic derivative blows up compile and evaluate
 * in time linear in their size (checked as a ratio of times, n vs 10n), and their derivatives are right
 * (analytic formulas and central differences); too large or too deep ones, and wrong argument counts,
 * get a message quoting the expression and pointing at the token. The forward-mode derivatives are
 * also compared with mathjs's symbolic derivative on random expressions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { create, all } from 'mathjs';
import { compileReference, ExpressionError, MAX_EXPRESSION_CHARS } from '../../../src/core/reference/expression';

const col = (xs: number[]) => Float64Array.from(xs);

function centralDiff(r: ReturnType<typeof compileReference>, x: Float64Array[], i: number, h = 1e-6): Float64Array {
  const plus = x.map((c) => Float64Array.from(c));
  const minus = x.map((c) => Float64Array.from(c));
  for (let k = 0; k < plus[i].length; k++) {
    plus[i][k] += h;
    minus[i][k] -= h;
  }
  const p = r.value(plus);
  const m = r.value(minus);
  return p.map((v, k) => (v - m[k]) / (2 * h));
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, what: string): void {
  for (let k = 0; k < a.length; k++) {
    const tol = rel * Math.max(1, Math.abs(b[k]));
    assert.ok(Math.abs(a[k] - b[k]) <= tol, `${what}: ${a[k]} vs ${b[k]} at ${k}`);
  }
}

const poly = (n: number) => Array.from({ length: n }, (_, i) => `${(i % 7) + 1}*x^${i}`).join(' + ');
const nestExp = (n: number) => {
  let s = 'x';
  for (let i = 0; i < n; i++) s = `exp(${s})`;
  return s;
};
const tower = (n: number) => Array.from({ length: n }, () => 'x').join('^');
const sines = (n: number) => Array.from({ length: n }, (_, i) => `sin(${1 + i / n}*x)`).join('*');

function msPerCompileAndEval(expr: string, points: Float64Array): number {
  const t0 = performance.now();
  let reps = 0;
  do {
    const r = compileReference(`y = ${expr}`, ['x']);
    r.value([points]);
    r.derivative('x', [points]);
    reps++;
  } while (performance.now() - t0 < 150);
  return (performance.now() - t0) / reps;
}

test('the issue\'s hostile references compile at once and their derivatives are right', () => {
  const x = col([0.1, 0.35, 0.6, 0.9]);
  // 40-term polynomial: d/dx sum c_i x^i = sum i c_i x^(i-1)
  const p = compileReference(`y = ${poly(40)}`, ['x']);
  const dp = Array.from(x, (v) => Array.from({ length: 40 }, (_, i) => (i === 0 ? 0 : i * ((i % 7) + 1) * v ** (i - 1))).reduce((a, b) => a + b, 0));
  assertClose(p.derivative('x', [x]), dp, 1e-12, 'polynomial');
  // exp nested 30 deep overflows to Infinity for x > 0: check 4 deep exactly and 30 deep by its value.
  const e4 = compileReference(`y = ${nestExp(4)}`, ['x']);
  const small = col([-2, -0.5, 0, 0.2]);
  const de4 = Array.from(small, (v) => {
    const a = Math.exp(v);
    const b = Math.exp(a);
    const c = Math.exp(b);
    return Math.exp(c) * c * b * a;
  });
  assertClose(e4.derivative('x', [small]), de4, 1e-12, 'exp nested 4');
  const e30 = compileReference(`y = ${nestExp(30)}`, ['x']);
  assert.equal(e30.derivative('x', [col([-50])]).length, 1);
  // x^x^...^x (right-associative), 30 levels: central differences at points near 1.
  const near1 = col([0.95, 1, 1.03]);
  const t30 = compileReference(`y = ${tower(30)}`, ['x']);
  assertClose(t30.derivative('x', [near1]), centralDiff(t30, [near1], 0, 1e-7), 1e-5, 'tower 30');
  const t2 = compileReference('y = x^x', ['x']);
  assertClose(t2.derivative('x', [x]), Array.from(x, (v) => v ** v * (Math.log(v) + 1)), 1e-12, 'x^x');
  // product of 60 sines: derivative = product * sum a_i cot(a_i x)
  const s60 = compileReference(`y = ${sines(60)}`, ['x']);
  const ds = Array.from(x, (v) => {
    let prod = 1;
    let sum = 0;
    for (let i = 0; i < 60; i++) {
      const a = 1 + i / 60;
      prod *= Math.sin(a * v);
      sum += a / Math.tan(a * v);
    }
    return prod * sum;
  });
  assertClose(s60.derivative('x', [x]), ds, 1e-9, 'product of 60 sines');
});

test('compile + evaluation time grows linearly with the expression (n vs 10n, as a ratio)', () => {
  const points = Float64Array.from({ length: 200 }, (_, i) => 0.1 + (0.8 * i) / 200);
  for (const [name, make, n] of [
    ['polynomial', poly, 20],
    ['nested exp', nestExp, 10],
    ['x^x tower', tower, 10],
    ['sine product', sines, 10],
  ] as const) {
    const small = msPerCompileAndEval(make(n), points);
    const large = msPerCompileAndEval(make(10 * n), points);
    // Linear work gives about 10; the symbolic route gave 100 and more (and did not finish for 30-60).
    assert.ok(large / small < 40, `${name}: ${large.toFixed(2)} ms vs ${small.toFixed(2)} ms = ${(large / small).toFixed(1)}x for 10x the size`);
  }
});

test('a 2,000-term reference works; over the limits a clear message, never a stack overflow', () => {
  const big = compileReference(`y = ${Array.from({ length: 2000 }, (_, i) => `${i % 5}*x^${i % 9}`).join(' + ')}`, ['x']);
  const x = col([0.5, -0.25]);
  assertClose(big.derivative('x', [x]), centralDiff(big, [x], 0), 1e-6, '2000 terms');
  const huge = `y = ${Array.from({ length: 20000 }, () => 'x').join(' + ')}`;
  assert.ok(huge.length > MAX_EXPRESSION_CHARS);
  assert.throws(() => compileReference(huge, ['x']), (e: unknown) => e instanceof ExpressionError && /characters long; at most 65,536/.test(e.message));
  assert.throws(() => compileReference(`y = ${'('.repeat(5000)}x${')'.repeat(5000)}`, ['x']), (e: unknown) => e instanceof ExpressionError && /nests brackets 5000 deep/.test(e.message));
  assert.throws(() => compileReference(`y = ${Array.from({ length: 12000 }, () => 'x').join('*')}`, ['x']), (e: unknown) => e instanceof ExpressionError && /too large/.test(e.message));
  for (const deep of [`y = ${'-'.repeat(20000)}x`, `y = ${Array.from({ length: 15000 }, () => 'x').join('^')}`]) {
    assert.throws(() => compileReference(deep, ['x']), (e: unknown) => e instanceof ExpressionError && !/Maximum call stack/.test(e.message), deep.slice(0, 20));
  }
});

test('a wrong number of arguments quotes the expression and points at the call', () => {
  const cases: [string, RegExp, number][] = [
    ['sin(x, z)', /sin\(\) takes 1 argument, not 2/, 0],
    ['x + atan2(x)', /atan2\(\) takes 2 arguments, not 1/, 4],
    ['sin(x) + sin(x, 1)', /sin\(\) takes 1 argument, not 2 at character 10/, 9],
    ['log(x, 2, 3)', /log\(\) takes 1 or 2 arguments, not 3/, 0],
  ];
  for (const [expr, pattern, at] of cases) {
    const err = (() => {
      try {
        compileReference(`f = ${expr}`, ['x', 'z']);
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(err instanceof ExpressionError, expr);
    assert.match(err.message, pattern);
    assert.equal(err.position, at, expr);
    const lines = err.message.split('\n');
    assert.equal(lines[1].trim(), expr, 'the expression is quoted');
    assert.equal(lines[2].indexOf('^') - lines[1].indexOf(expr[0]), at, 'the caret is under the function name');
  }
  // atan2 and two-argument log work (mathjs has no symbolic rule for atan2).
  const a = compileReference('f = atan2(z, x) + log(x, 2)', ['x', 'z']);
  const x = col([0.5, 2]);
  const z = col([1, -3]);
  assertClose(a.derivative('x', [x, z]), Array.from(x, (v, k) => -z[k] / (v * v + z[k] * z[k]) + 1 / (v * Math.LN2)), 1e-12, 'atan2 + log2');
});

test('forward-mode derivatives agree with mathjs\'s symbolic ones on random expressions', () => {
  const math = create(all, { number: 'number', predictable: true });
  let seed = 20240611;
  const rnd = (): number => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const FUNS = ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'tanh', 'atan', 'sinh', 'cosh', 'abs', 'cbrt', 'asinh', 'log1p', 'expm1', 'log10', 'log2', 'sec', 'csc', 'cot'];
  const gen = (depth: number): string => {
    if (depth === 0 || rnd() < 0.2) return pick(['x', 'y', '2.5', 'pi', 'x', 'y', '0.7']);
    const k = rnd();
    if (k < 0.45) return `(${gen(depth - 1)} ${pick(['+', '-', '*', '/'])} ${gen(depth - 1)})`;
    if (k < 0.6) return `(${gen(depth - 1)})^${pick(['2', '3', '0.5', 'y', '-1'])}`;
    if (k < 0.65) return `-${gen(depth - 1)}`;
    if (k < 0.7) return `pow(${gen(depth - 1)}, ${pick(['2', 'x'])})`;
    return `${pick(FUNS)}(${gen(depth - 1)})`;
  };
  const xs = col([0.3, 0.8, 1.7, 2.2]);
  const ys = col([0.6, 1.1, 0.4, 2.9]);
  let compared = 0;
  for (let k = 0; k < 150; k++) {
    const expr = gen(4);
    const r = compileReference(`f = ${expr}`, ['x', 'y']);
    for (const v of ['x', 'y'] as const) {
      let symbolic: { evaluate(scope: object): unknown };
      try {
        symbolic = math.derivative(math.parse(expr), v, { simplify: false }).compile();
      } catch {
        continue; // mathjs has no symbolic rule for this function (log1p, expm1, ...): nothing to compare
      }
      const ours = r.derivative(v, [xs, ys]);
      for (let i = 0; i < xs.length; i++) {
        const s = symbolic.evaluate({ x: xs[i], y: ys[i] }) as number;
        if (!Number.isFinite(s) || !Number.isFinite(ours[i]) || Math.abs(s) > 1e12) continue;
        assert.ok(Math.abs(ours[i] - s) <= 1e-8 * Math.max(1, Math.abs(s)), `${expr} d/d${v} at (${xs[i]}, ${ys[i]}): ${ours[i]} vs ${s}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 600, `compared ${compared} finite values`);
});

test('the derivative text: simplified when small, a plain sentence when too long to show', () => {
  assert.equal(compileReference('f = x^3 + 5*x + y^2', ['x', 'y']).derivativeText.x, '3 * x ^ 2 + 5');
  assert.match(compileReference(`f = ${sines(60)}`, ['x']).derivativeText.x, /forward-mode differentiation/);
});

test('every whitelisted function: forward-mode derivative against central differences', () => {
  const x = col([0.15, 0.4, 0.55, 0.8]); // inside every domain below (acosh gets 1 + x)
  const y = col([0.7, 1.3, 0.2, 2.1]);
  const exprs = [
    'sin(2*x)', 'cos(x*y)', 'tan(x)', 'asin(x)', 'acos(x)', 'atan(x*y)', 'atan2(y, x)', 'sinh(x)', 'cosh(x)', 'tanh(x*y)',
    'asinh(x)', 'acosh(1 + x)', 'atanh(x)', 'sec(x)', 'csc(x)', 'cot(x)', 'exp(x*y)', 'expm1(x)', 'log(x)', 'log(x, y + 1)',
    'log10(x)', 'log2(x)', 'log1p(x)', 'sqrt(x*y)', 'cbrt(x - 0.5)', 'abs(x - 0.5)', 'pow(x, y)', 'sign(x - 0.5) * x', 'x^y', '(x - 1)^3',
  ];
  for (const e of exprs) {
    const r = compileReference(`f = ${e}`, ['x', 'y']);
    for (const [i, v] of [[0, 'x'], [1, 'y']] as const) {
      const ours = r.derivative(v, [x, y]);
      const fd = centralDiff(r, [x, y], i, 1e-7);
      for (let k = 0; k < x.length; k++) {
        if (!Number.isFinite(fd[k])) continue;
        assert.ok(Math.abs(ours[k] - fd[k]) <= 2e-6 * Math.max(1, Math.abs(fd[k])), `${e} d/d${v} at ${k}: ${ours[k]} vs ${fd[k]}`);
      }
    }
  }
});
