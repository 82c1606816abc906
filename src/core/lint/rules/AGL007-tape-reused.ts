/**
 * AGL007 tape-reused: a second `gradient()` / `jacobian()` / `batch_jacobian()` call on a
 * non-persistent `tf.GradientTape` (RuntimeError at run time), including one call inside a loop when
 * the tape is created outside it. Checked against TensorFlow's documentation, not run.
 */
import { withAnalysisPass, type Rule, type RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { findTapes, inside, persistentArg, type Tape } from '../tensorflow';
import { field, namedChildren, type PyNode } from '../tree';
import type { Fix } from '../types';

const LOOPS = new Set(['for_statement', 'while_statement', 'list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension']);
const FUNCTION_TYPES = new Set(['function_definition', 'lambda', 'class_definition']);
const EXITS = new Set(['return_statement', 'raise_statement', 'break_statement', 'continue_statement']);


function enclosingScopeNode(node: PyNode): PyNode | null {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return null;
}

function ancestors(node: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (let n: PyNode | null = node; n; n = n.parent) out.push(n);
  return out;
}

/** Whether the two calls can never both run: different branches of one `if`, or the first leaves the block. */
function exclusive(a: PyNode, b: PyNode): boolean {
  const as = ancestors(a);
  const bs = new Set(ancestors(b).map((n) => n.id));
  const lcaIndex = as.findIndex((n) => bs.has(n.id));
  if (lcaIndex <= 0) return false;
  const lca = as[lcaIndex];
  const childA = as[lcaIndex - 1];
  const childB = ancestors(b).find((n) => n.parent === lca);
  if (!childB) return false;
  if (lca.type === 'if_statement' || lca.type === 'conditional_expression') {
    const branch = (n: PyNode): string => (n.type === 'block' ? `${n.field}` : `${n.type}:${n.start}`);
    if (childA.field !== 'condition' && childB.field !== 'condition' && branch(childA) !== branch(childB)) return true;
  }
  // `a` sits in a block that is left (return/raise/break/continue) before `b` is reached.
  for (let i = 0; i < lcaIndex; i++) {
    const n = as[i];
    if (EXITS.has(n.type)) return true;
    const parent = n.parent;
    if (!parent || parent.type !== 'block') continue;
    const stmts = namedChildren(parent);
    const at = stmts.indexOf(n);
    for (let j = at + 1; j < stmts.length; j++) {
      if (inside(stmts[j], b)) break;
      if (EXITS.has(stmts[j].type)) return true;
    }
  }
  return false;
}

/** The innermost loop around `node` (within its function) that does not contain the tape's `with`. */
function loopAroundOnly(node: PyNode, tapeWith: PyNode): PyNode | null {
  for (let n = node.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type)) return null;
    if (n === tapeWith || inside(n, tapeWith)) return null;
    if (LOOPS.has(n.type)) return n;
  }
  return null;
}

function loopLeavesEarly(loop: PyNode): boolean {
  const stack: PyNode[] = [...loop.children];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'break_statement' || n.type === 'return_statement' || n.type === 'raise_statement') return true;
    if (FUNCTION_TYPES.has(n.type)) continue;
    stack.push(...n.children);
  }
  return false;
}

function persistentFix(ctx: RuleContext, t: Tape): Fix | null {
  const existing = persistentArg(t);
  const title = `Create the tape with \`persistent=True\` (keeps its resources until it is deleted; \`del ${t.name}\` after the last use)`;
  if (existing) return { title, safe: true, edits: [ctx.replace(existing, 'True')] };
  const args = field(t.ctor.node, 'arguments');
  if (!args || args.type !== 'argument_list') return null;
  const list = namedChildren(args);
  const last = list[list.length - 1];
  const edit = last ? ctx.insertAt(last.end, ', persistent=True') : ctx.insertAt(args.end - 1, 'persistent=True');
  return { title, safe: true, edits: [edit] };
}

const SYNTAX: Rule = {
  meta: {
    code: 'AGL007',
    name: 'tape-reused',
    summary: 'A non-persistent `tf.GradientTape` is asked for a second gradient, which raises a RuntimeError.',
    framework: 'tensorflow',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds a second `gradient()`, `jacobian()` or `batch_jacobian()` call on a `tf.GradientTape` created without ' +
        '`persistent=True`, and a single such call inside a loop (or comprehension) when the tape is created outside it. ' +
        'Calls in different branches of an `if`, and a first call after which the block returns, are not counted twice.',
      whyIsThisBad:
        'A non-persistent tape releases the resources it recorded as soon as `gradient()` is called once. A second call ' +
        'raises `RuntimeError: A non-persistent GradientTape can only be used to compute one set of gradients (or ' +
        'jacobians)`. Per-column derivative loops and "value and slope" losses hit it the first time they run.',
      example: [
        '```python',
        'with tf.GradientTape() as tape:',
        '    tape.watch(x)',
        '    y = model(x)',
        '    energy = tf.reduce_sum(y ** 2)',
        'dy_dx = tape.gradient(y, x)',
        'de_dx = tape.gradient(energy, x)  # RuntimeError',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'with tf.GradientTape(persistent=True) as tape:',
        '    tape.watch(x)',
        '    y = model(x)',
        '    energy = tf.reduce_sum(y ** 2)',
        'dy_dx = tape.gradient(y, x)',
        'de_dx = tape.gradient(energy, x)',
        'del tape  # a persistent tape holds its resources until it is garbage-collected',
        '```',
        '',
        'or one `gradient()` call with several targets or sources (`tape.gradient(u, [x, t])`), or one tape per gradient.',
      ].join('\n'),
      knownProblems:
        'Checked against the TensorFlow documentation, not run (TensorFlow is not installed where this linter is tested). ' +
        '`persistent` passed as a variable or through `**kwargs` is trusted. A loop that always leaves after its first ' +
        'iteration (`break`, `return`) is not flagged. Calls made from nested functions are not counted.',
      fixSafety:
        'Adding `persistent=True` is safe: the values do not change. The tape then keeps its recorded operations alive ' +
        'until the tape object is deleted, which costs memory in long loops; add `del tape` after the last use.',
      references: [
        '[tf.GradientTape (persistent)](https://www.tensorflow.org/api_docs/python/tf/GradientTape)',
        '[Introduction to gradients and automatic differentiation: gradients of multiple targets](https://www.tensorflow.org/guide/autodiff#gradient_tapes)',
      ],
    },
  },

  check(ctx) {
    for (const t of findTapes(ctx.model)) {
      if (t.persistent !== false || t.uses.length === 0) continue;
      const home = enclosingScopeNode(t.with.node);
      const uses = t.uses.filter((u: CallInfo) => enclosingScopeNode(u.node) === home);
      const fix = persistentFix(ctx, t);
      const reported = new Set<CallInfo>();
      for (let i = 1; i < uses.length; i++) {
        const earlier = uses.slice(0, i).find((u) => !exclusive(u.node, uses[i].node));
        if (!earlier) continue;
        reported.add(uses[i]);
        ctx.report({
          node: uses[i].node,
          message:
            `\`${t.name}\` is not persistent and was already used by \`${t.name}.${earlier.method}(...)\` on line ${ctx.lineOf(earlier.node)}: ` +
            `this second \`${uses[i].method}()\` call raises RuntimeError. Create the tape with \`persistent=True\` ` +
            `(and \`del ${t.name}\` after the last use), or compute both in one call.`,
          related: [
            { node: earlier.node, message: 'the first call releases the tape' },
            { node: t.ctor.node, message: 'the tape is created here without persistent=True' },
          ],
          fixes: fix ? [fix] : [],
        });
      }
      for (const u of uses) {
        if (reported.has(u)) continue;
        const loop = loopAroundOnly(u.node, t.with.node);
        if (!loop || loopLeavesEarly(loop)) continue;
        ctx.report({
          node: u.node,
          message:
            `\`${t.name}\` is not persistent and is created once, outside this loop (line ${ctx.lineOf(t.with.node)}): ` +
            `the second iteration's \`${u.method}()\` call raises RuntimeError. Create the tape with \`persistent=True\`, ` +
            `open a new tape inside the loop, or use \`${t.name}.jacobian\` / \`batch_jacobian\` once.`,
          related: [
            { node: loop, message: 'the loop that calls it again' },
            { node: t.ctor.node, message: 'the tape is created here without persistent=True' },
          ],
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};

/** What the analysis adds: a second use through helpers or branches the syntax does not follow. */
export const AGL007: Rule = withAnalysisPass(SYNTAX, (ctx, seen) => {
  for (const r of ctx.analysis.events.tapeReuses) {
    if (seen(r.node)) continue;
    const first = ctx.tree.nodes[r.earlier[0]];
    const tape = ctx.tree.nodes[r.tape];
    ctx.report({
      node: r.node,
      message:
        'This tape is not persistent and was already used for a gradient' + (first ? ` (line ${ctx.lineOf(first)})` : '') + ': this ' +
        'call raises RuntimeError ("A non-persistent GradientTape can only be used to compute one set of gradients"). Create the ' +
        'tape with `persistent=True` (and `del` it after the last use), or compute both in one call.',
      related: [...(first ? [{ node: first, message: 'the first call releases the tape' }] : []), ...(tape ? [{ node: tape, message: 'the tape is created here' }] : [])],
    });
  }
});
