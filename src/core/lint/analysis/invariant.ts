/**
 * Values bound in a loop only under tests the loop never changes.
 *
 * The analysis iterates a loop to a fixpoint, joining the state at the end of the body into the state at its head:
 * a value bound in one iteration reaches the next along the back edge. When every binding of a name (or of a `self.`
 * attribute) in the loop is made under `if` tests of names and attributes the loop does not assign
 * (`if self.config.std_modeling:`), and every read of it in the loop comes after those bindings, that path does not
 * exist: in an iteration where the test holds the value is bound again before it is read, and where it does not hold
 * it held in no earlier iteration either, so the value read is the one from before the loop. Without this, a loss
 * term made under one configuration flag and added under another (`if cfg.std_loss: loss += self.std_loss`) looked
 * like a term the previous iteration's backward had already freed (AGL019).
 *
 * Pure syntax: the keys are computed once per loop and handed to the interpreter, which carries their values along
 * the back edge from before the loop instead of from the end of the body.
 */
import type { SemanticModel } from '../semantic';
import { field, unparen, walk, type PyNode } from '../tree';
import { SELF_KEY_PREFIX } from './env';

const SCOPE_NODES = new Set(['function_definition', 'class_definition', 'lambda']);

/** Nodes a binding may stand in, between it and the loop's body, for it to run in every iteration its tests allow. */
const PASS_THROUGH = new Set(['block', 'if_statement', 'elif_clause', 'else_clause', 'with_statement', 'with_clause', 'expression_statement', 'assignment', 'decorated_definition']);

/** The environment key a target writes: `name`, or `self.name` for `self.name`; null for anything else. */
function keyOf(model: SemanticModel, target: PyNode): string | null {
  const t = unparen(target);
  if (t.type === 'identifier') return model.textOf(t);
  if (t.type === 'attribute') {
    const obj = field(t, 'object');
    const attr = field(t, 'attribute');
    if (obj?.type === 'identifier' && model.textOf(obj) === 'self' && attr) return `${SELF_KEY_PREFIX}${model.textOf(attr)}`;
  }
  return null;
}

/** A test of names, attributes, literals, comparisons and boolean operators only (no call, subscript or lambda). */
function plainTest(cond: PyNode): boolean {
  let plain = true;
  walk(cond, (x) => {
    if (x.type === 'call' || x.type === 'subscript' || x.type === 'lambda' || x.type === 'await' || x.type === 'named_expression') plain = false;
    return plain;
  });
  return plain;
}

/**
 * The keys (names and `self.` attributes) of the current scope bound in `loop` only under loop-invariant tests and
 * read in it only after their bindings.
 */
export function invariantlyBoundKeys(model: SemanticModel, loop: PyNode): string[] {
  const body = field(loop, 'body');
  if (!body) return [];
  // Every write in the loop, by key; and the texts of every target the loop writes (for the tests' invariance).
  const binds = new Map<string, PyNode[]>();
  const disqualified = new Set<string>();
  const writtenTexts: string[] = [];
  const reads = new Map<string, number[]>();
  /** Every key a pattern target writes (`a, self.b`, a `for` target) is disqualified, and its text is written. */
  const writtenByPattern = (target: PyNode): void =>
    walk(target, (y) => {
      const k = keyOf(model, y);
      if (k !== null) {
        disqualified.add(k);
        writtenTexts.push(model.textOf(y));
      }
      return true;
    });
  walk(loop, (x) => {
    if (x !== loop && SCOPE_NODES.has(x.type)) return false;
    if (x.type === 'assignment' || x.type === 'augmented_assignment') {
      const left = field(x, 'left');
      if (left) {
        const key = keyOf(model, left);
        writtenTexts.push(model.textOf(left));
        // A pattern (`a, self.b = ...`): its keys are written, not in the simple form this reasons about.
        if (key === null) writtenByPattern(left);
        else if (x.type === 'augmented_assignment') disqualified.add(key);
        else binds.set(key, [...(binds.get(key) ?? []), x]);
      }
    } else if (x.type === 'for_statement' || x.type === 'for_in_clause') {
      const left = field(x, 'left');
      if (left) writtenByPattern(left);
    } else if (x.type === 'attribute' || (x.type === 'identifier' && x.field !== 'attribute')) {
      // (An identifier that is the `attribute` field of an attribute is a field name, not a read of a name.)
      const k = keyOf(model, x);
      const written = x.field === 'left' && (x.parent?.type === 'assignment' || x.parent?.type === 'augmented_assignment');
      if (k !== null && !written) reads.set(k, [...(reads.get(k) ?? []), x.start]);
    }
    return true;
  });
  if (![...binds.keys()].some((k) => !disqualified.has(k))) return [];
  // The names the loop binds (any way: the tests' invariance), and those it binds some other way than by an
  // assignment (`with ... as`, walrus, except-as, imports, definitions).
  const boundInLoop = new Set<string>();
  for (const b of model.bindings) {
    if (b.at < loop.start || b.at > loop.end) continue;
    boundInLoop.add(b.name);
    if (b.stmt.type !== 'assignment' && b.stmt.type !== 'expression_statement') disqualified.add(b.name);
  }
  const invariantTest = (cond: PyNode): boolean => {
    if (!plainTest(cond)) return false;
    let ok = true;
    walk(cond, (x) => {
      if (x.type === 'identifier' && x.field !== 'attribute' && boundInLoop.has(model.textOf(x))) ok = false;
      if (x.type === 'attribute') {
        const text = model.textOf(x);
        // `self.config.flag` changes when `self.config`, `self.config.flag` or anything below it is assigned.
        if (writtenTexts.some((w) => w === text || text.startsWith(`${w}.`) || w.startsWith(`${text}.`))) ok = false;
      }
      return ok;
    });
    return ok;
  };
  /** Whether a binding runs in every iteration where its (invariant) tests hold, and under at least one test. */
  const guardedInvariantly = (stmt: PyNode): boolean => {
    let guarded = false;
    for (let c: PyNode = stmt, p = stmt.parent; p && p !== loop; c = p, p = p.parent) {
      if (p === body) return guarded;
      if (!PASS_THROUGH.has(p.type)) return false;
      if (p.type === 'if_statement' || p.type === 'elif_clause') {
        // The test decides the branches below it; a binding in the test itself is not guarded by it.
        const cond = field(p, 'condition');
        if (!cond || c === cond || !invariantTest(cond)) return false;
        guarded = true;
      }
      if (p.type === 'if_statement') {
        // Earlier tests of an `elif`/`else` chain decide it too.
        for (const alt of p.children) {
          if (alt === c) break;
          if (alt.type === 'elif_clause') {
            const ec = field(alt, 'condition');
            if (!ec || !invariantTest(ec)) return false;
          }
        }
      }
    }
    return false;
  };
  const out: string[] = [];
  for (const [key, stmts] of binds) {
    if (disqualified.has(key)) continue;
    if (!stmts.every(guardedInvariantly)) continue;
    const lastEnd = Math.max(...stmts.map((s) => s.end));
    // Reads inside a binding's own value (`x = f(x)`) come before it is bound.
    if ((reads.get(key) ?? []).some((at) => at < lastEnd)) continue;
    out.push(key);
  }
  return out.sort();
}
