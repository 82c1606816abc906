/**
 * Numeric derivatives of small elementwise functions (`scalar-eval.ts` evaluates them): the points a rule is
 * compared at, central differences along one input leaf, and the comparison. Used where a hand-written derivative
 * rule is checked against the function it belongs to (AGL072 for JAX, AGL075 for PyTorch and TensorFlow).
 */
import { evaluateFunction, leaves, mapLeaves, type Val } from './scalar-eval';
import type { FunctionInfo, SemanticModel } from './semantic';

/** Input values at which rules are compared: inside (0, 1), where log, sqrt, arcsin... are smooth, and all distinct. */
const BASE = [0.37, 0.61, 0.83, 0.29, 0.52, 0.74, 0.45, 0.68];

const POINTS = 3;

const H = 1e-5;

export function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-4 * (1 + Math.abs(a) + Math.abs(b));
}

/** The input points: each parameter with `structure`'s shape, distinct values drawn from BASE. */
export function pointsFor(structure: Val[]): Val[][] {
  const out: Val[][] = [];
  for (let k = 0; k < POINTS; k++) {
    const counter = { k: 0 };
    out.push(structure.map((s) => mapLeaves(s, (j) => BASE[(j + 3 * k) % BASE.length], counter)));
  }
  return out;
}

/** `args` with the leaf `j` (counting the leaves of every argument in order) moved by `d`. */
function shifted(args: Val[], j: number, d: number): Val[] {
  const flat = args.flatMap(leaves);
  const counter = { k: 0 };
  return args.map((a) => mapLeaves(a, (i) => (i === j ? flat[i] + d : flat[i]), counter));
}

/** The unit tangent along leaf `j`, in the structure of `args`. */
export function unit(args: Val[], j: number): Val[] {
  const counter = { k: 0 };
  return args.map((a) => mapLeaves(a, (i) => (i === j ? 1 : 0), counter));
}

/** ∂ output leaf / ∂ input leaf `j` by central differences, or null when `f` cannot be evaluated there. */
export function numericColumn(m: SemanticModel, f: FunctionInfo, args: Val[], j: number, evalF: (p: Val[]) => Val | undefined = (p) => evaluateFunction(m, f, p)): number[] | null {
  const plus = evalF(shifted(args, j, H));
  const minus = evalF(shifted(args, j, -H));
  if (plus === undefined || minus === undefined) return null;
  const a = leaves(plus);
  const b = leaves(minus);
  if (a.length !== b.length) return null;
  const out = a.map((x, i) => (x - b[i]) / (2 * H));
  return out.every(Number.isFinite) ? out : null;
}

/** Whether `f` returns one of its inputs unchanged at every point: a rule that changes the gradient on purpose. */
export function isIdentity(outs: number[][], points: Val[][]): boolean {
  if (outs.some((o) => o.length !== 1)) return false;
  const n = leaves(points[0]).length;
  for (let j = 0; j < n; j++) if (points.every((p, k) => outs[k][0] === leaves(p)[j])) return true;
  return false;
}

export function fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}
