/**
 * AGL089 flow-log-det-direction: a flow method that computes one direction (forward or inverse, by its name, knowledge
 * in knowledge/flows.ts) returns a log-determinant built from the log-determinants of calls that compute a direction,
 * with a sign that does not fit: the log|det J| of a composition is the sum of its layers' log-determinants in the same
 * direction, and the inverse's log-determinant is minus the forward's at the corresponding point. So a forward-direction
 * term must be added in a forward method (normflows subtracted them) and subtracted in an inverse one (flowjax's
 * numerical inverse returned the forward log-det at the recovered point as it was).
 * The question to the model: read the returned log-determinant as a signed sum of terms (through names, `+=`/`-=`
 * accumulation, negation, sums and reshapes), each the second item of a call whose direction the callee's name or a
 * direction keyword (`reverse=True`, `mode='inverse'`) tells. And for a layer that computes either direction by an
 * argument: do both branches return the same log-determinant by the same code (pytorch-flows' MADE)?
 */
import {
  FLOW_DIRECTION_KEYWORD, FLOW_FORWARD_LOG_DET_METHOD, FLOW_FORWARD_MODE, FLOW_INVERSE_LOG_DET_METHOD, FLOW_INVERSE_MODE, FLOW_LAYER_FORWARD_METHOD,
  FLOW_LAYER_INVERSE_METHOD, SIGN_PRESERVING_FUNCTION, SIGN_PRESERVING_METHOD,
} from '../knowledge/flows';
import { deliberatelyZero, readsAny } from '../derivative-rules';
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';

type Direction = 'forward' | 'inverse';

interface Term {
  sign: 1 | -1;
  dir: Direction;
  /** The call whose log-determinant the term is. */
  call: PyNode;
  /** Where the sign is given: an `ld -= ...` statement, a negation, or the returned item. */
  at: PyNode;
  /**
   * The call's transformed value is (or becomes) the value the method returns (`z, ld = flow(z)` ... `return z, total`):
   * the call computes a piece of the method's own map, whatever its name says (an `Inverse` wrapper's forward is its
   * bijection's `inverse_and_log_det`). Otherwise the call is evaluated at a corresponding point (a numerical inverse's
   * `_, ld = f.transform_and_log_det(x)`), and its name tells its direction.
   */
  onPath: boolean;
}

function methodDirection(name: string): Direction | null {
  if (FLOW_INVERSE_LOG_DET_METHOD.test(name)) return 'inverse';
  if (FLOW_FORWARD_LOG_DET_METHOD.test(name)) return 'forward';
  return null;
}

function isSelfAttribute(m: SemanticModel, n: PyNode): boolean {
  const u = unparen(n);
  const o = u.type === 'attribute' ? field(u, 'object') : null;
  return !!o && unparen(o).type === 'identifier' && m.textOf(unparen(o)) === 'self';
}

/**
 * A layer of the flow's own list of layers: a loop variable over `self.flows` (also `reversed(self.flows)`,
 * `self.flows[::-1]`), or `self.flows[i]` indexed by a name. Not a loop over bound methods or a zip of several lists.
 */
function ownLayer(m: SemanticModel, n: PyNode): boolean {
  const u = unparen(n);
  if (u.type === 'subscript') {
    const v = field(u, 'value');
    const idx = namedChildren(u).filter((x) => x !== v);
    return !!v && isSelfAttribute(m, v) && idx.length === 1 && unparen(idx[0]).type === 'identifier';
  }
  if (u.type !== 'identifier' || !m.isUse(u)) return false;
  const bs = m.reachingBindings(u);
  return bs.length > 0 && bs.every((b) => {
    if (b.kind !== 'for' || b.path.length > 0 || b.target.parent?.type === 'pattern_list') return false;
    const right = field(b.stmt, 'right');
    if (!right) return false;
    let it = unparen(right);
    const c = it.type === 'call' ? m.call(it) : null;
    if (c && c.qname === 'reversed' && c.positional.length === 1) it = unparen(c.positional[0]);
    if (it.type === 'subscript') it = unparen(field(it, 'value') ?? it);
    return isSelfAttribute(m, it);
  });
}

/** The direction a keyword argument chooses (`reverse=True`, `mode="inverse"`); 'unknown' for a computed one. */
function keywordDirection(m: SemanticModel, c: CallInfo): Direction | 'unknown' | null {
  for (const [k, v0] of c.keywords) {
    if (!FLOW_DIRECTION_KEYWORD.test(k)) continue;
    const v = unparen(v0);
    if (v.type === 'true' || v.type === 'false') {
      const on = v.type === 'true';
      if (k === 'mode' || k === 'direction') return 'unknown';
      return on ? 'inverse' : 'forward';
    }
    if (v.type === 'string' && (k === 'mode' || k === 'direction')) {
      const s = m.textOf(v).replace(/^[rbuf]*['"]+|['"]+$/gi, '').toLowerCase();
      if (FLOW_INVERSE_MODE.test(s)) return 'inverse';
      if (FLOW_FORWARD_MODE.test(s)) return 'forward';
    }
    return 'unknown';
  }
  return null;
}

/**
 * The direction a call computes: a method whose name says it returns a log-determinant
 * (`self.bijection.transform_and_log_det(x)`, `bij.inverse_and_log_det(y)`), or a layer of the flow's own list run as a
 * module (`flow(z)`, `self.flows[i](z)`) or by `forward`/`inverse`; a direction keyword (`reverse=True`) decides.
 */
function callDirection(m: SemanticModel, node: PyNode): Direction | null {
  const c = m.call(node);
  if (!c || c.hasKwargs) return null;
  const kw = keywordDirection(m, c);
  if (kw === 'unknown') return null;
  if (c.method && c.receiver) {
    const d = methodDirection(c.method);
    if (d) return kw ?? d;
    if (!ownLayer(m, c.receiver)) return null;
    if (FLOW_LAYER_FORWARD_METHOD.test(c.method)) return kw ?? 'forward';
    if (FLOW_LAYER_INVERSE_METHOD.test(c.method)) return kw === 'forward' ? null : 'inverse';
    return null;
  }
  const callee = field(node, 'function');
  return callee && ownLayer(m, callee) ? (kw ?? 'forward') : null;
}

/** `x[1]` of a direction call: the log-determinant it returns. */
function logDetOfCall(m: SemanticModel, n: PyNode): { call: PyNode; dir: Direction } | null {
  const u = unparen(n);
  if (u.type !== 'subscript') return null;
  const v = field(u, 'value');
  const idx = namedChildren(u).filter((x) => x !== v);
  if (!v || idx.length !== 1 || m.textOf(idx[0]) !== '1' || unparen(v).type !== 'call') return null;
  const dir = callDirection(m, unparen(v));
  return dir ? { call: unparen(v), dir } : null;
}

function operatorOf(n: PyNode): string | null {
  return n.children.find((c) => c.field === 'operator')?.type ?? null;
}

/** The returned log-determinant as signed terms of direction calls (terms it cannot read are left out). */
function terms(m: SemanticModel, fn: FunctionInfo, n: PyNode, sign: 1 | -1, at: PyNode, seen: Set<Binding>, out: Term[], depth = 0): void {
  if (depth > 12) return;
  const u = unparen(n);
  const flip = (s: 1 | -1): 1 | -1 => (s === 1 ? -1 : 1);
  switch (u.type) {
    case 'unary_operator': {
      const arg = field(u, 'argument');
      const op = operatorOf(u);
      if (arg && (op === '-' || op === '+')) terms(m, fn, arg, op === '-' ? flip(sign) : sign, op === '-' ? u : at, seen, out, depth + 1);
      return;
    }
    case 'binary_operator': {
      const op = operatorOf(u);
      const l = field(u, 'left');
      const r = field(u, 'right');
      if (!l || !r || (op !== '+' && op !== '-')) return;
      terms(m, fn, l, sign, at, seen, out, depth + 1);
      terms(m, fn, r, op === '-' ? flip(sign) : sign, op === '-' ? u : at, seen, out, depth + 1);
      return;
    }
    case 'subscript': {
      const t = logDetOfCall(m, u);
      if (t) out.push({ sign, dir: t.dir, call: t.call, at, onPath: false });
      return;
    }
    case 'call': {
      const c = m.call(u);
      if (!c) return;
      if (c.method && c.receiver && SIGN_PRESERVING_METHOD.test(c.method)) terms(m, fn, c.receiver, sign, at, seen, out, depth + 1);
      else if (c.qname && SIGN_PRESERVING_FUNCTION.test(c.qname) && c.positional[0]) terms(m, fn, c.positional[0], sign, at, seen, out, depth + 1);
      return;
    }
    case 'identifier': {
      if (!m.isUse(u)) return;
      for (const b of m.reachingBindings(u)) {
        if (b.scope !== fn.scope || seen.has(b)) continue;
        seen.add(b);
        bindingTerms(m, fn, b, sign, at, seen, out, depth + 1);
      }
      return;
    }
    default:
      return;
  }
}

function bindingTerms(m: SemanticModel, fn: FunctionInfo, b: Binding, sign: 1 | -1, at: PyNode, seen: Set<Binding>, out: Term[], depth: number): void {
  if (!b.value) return;
  if (b.kind === 'assign') {
    if (b.path.length === 0) {
      terms(m, fn, b.value, sign, at, seen, out, depth);
      return;
    }
    const v = unparen(b.value);
    // `z, ld = flow(z)`: the second item of a direction call.
    if (b.path.length === 1 && b.path[0] === 1 && v.type === 'call') {
      const target = b.target.parent;
      const items = target && /^(?:pattern_list|tuple_pattern|list_pattern)$/.test(target.type) ? namedChildren(target) : [];
      const dir = items.length === 2 ? callDirection(m, v) : null;
      if (dir) out.push({ sign, dir, call: v, at, onPath: returnedValueFrom(m, fn, b.stmt) });
      return;
    }
    if (v.type === 'tuple' || v.type === 'expression_list') {
      const item = namedChildren(v)[b.path[0]];
      if (b.path.length === 1 && item) terms(m, fn, item, sign, at, seen, out, depth);
    }
    return;
  }
  if (b.kind === 'augassign') {
    const aug = b.value;
    const op = aug.children.find((c) => c.field === 'operator')?.type ?? aug.children[1]?.type;
    const left = field(aug, 'left');
    const right = field(aug, 'right');
    if (!right || (op !== '+=' && op !== '-=')) return;
    terms(m, fn, right, op === '-=' ? (sign === 1 ? -1 : 1) : sign, op === '-=' ? aug : at, seen, out, depth);
    // The value before: `left` is read by the statement.
    if (left) terms(m, fn, left, sign, at, seen, out, depth);
  }
}

/** Whether the first item a `return` of the method gives is bound by the statement (`z, ld = flow(z)`; `return z, ld`). */
function returnedValueFrom(m: SemanticModel, fn: FunctionInfo, stmt: PyNode): boolean {
  return fn.returns.some((r) => {
    const u = unparen(r);
    const first = u.type === 'tuple' || u.type === 'expression_list' ? unparen(namedChildren(u)[0] ?? u) : null;
    return !!first && first.type === 'identifier' && m.isUse(first) && m.reachingBindings(first).some((b) => b.stmt === stmt && b.path.length === 1 && b.path[0] === 0);
  });
}

/** A parameter that chooses the direction (`forward(self, x, reverse=False)`): the method computes either. */
function takesDirection(fn: FunctionInfo): boolean {
  return fn.params.some((p) => FLOW_DIRECTION_KEYWORD.test(p.name));
}


/**
 * The text of an expression with every name it reads replaced by the text of its one binding inside `within` (an `if`
 * branch), recursively, and the arguments of the layer's own networks (`self.net(h)`) left out: two branches that
 * compute a log-determinant by the same code from the conditioner's output give the same text. Null when a name has
 * several bindings there or is bound to a zero; `local` false when it reads only parameters and constants.
 */
function expanded(m: SemanticModel, fn: FunctionInfo, n: PyNode, within: PyNode, depth = 0): { text: string; local: boolean } | null {
  if (depth > 6) return null;
  const parts: string[] = [];
  let local = false;
  let ok = true;
  const visit = (x: PyNode): void => {
    if (!ok) return;
    if (x.type === 'identifier' && x.field !== 'attribute' && m.isUse(x)) {
      const bs = m.reachingBindings(x).filter((b) => b.scope === fn.scope);
      const inside = bs.filter((b) => b.stmt.start >= within.start && b.stmt.end <= within.end);
      if (inside.length === 0) {
        // Computed before the branch (the same value in both directions): local to the method unless a parameter passed
        // through (Glow's accumulated `logdet` argument) or a zero.
        const assigned = bs.filter((b) => b.kind !== 'param');
        if (assigned.some((b) => !b.value || deliberatelyZero(m, b.value))) {
          ok = false;
          return;
        }
        if (assigned.length > 0 && assigned.length === bs.length) local = true;
        parts.push(m.textOf(x));
        return;
      }
      // One binding in the branch (another that reaches only when a loop of the branch runs zero times is left aside).
      if (inside.length !== 1 || inside[0].kind !== 'assign' || !inside[0].value) {
        ok = false;
        return;
      }
      const b = inside[0];
      if (deliberatelyZero(m, b.value!)) {
        ok = false;
        return;
      }
      const sub = expanded(m, fn, b.value!, within, depth + 1);
      if (!sub) {
        ok = false;
        return;
      }
      local = true;
      parts.push(`{${b.path.join('.')}:${sub.text}}`);
      return;
    }
    // A network of the layer (`self.trunk(h)`, the conditioner) is evaluated where each direction needs it: its
    // arguments differ between the branches by design.
    if (x.type === 'call') {
      const callee = field(x, 'function');
      if (callee && isSelfAttribute(m, callee)) {
        parts.push(`${m.textOf(callee)}(...)`);
        return;
      }
    }
    if (x.children.length === 0 || x.type === 'string') {
      parts.push(m.textOf(x));
      return;
    }
    for (const c of x.children) visit(c);
  };
  visit(n);
  return ok ? { text: parts.join(' '), local } : null;
}

/** The pairs returned directly inside a block (not in nested functions). */
function pairsIn(fn: FunctionInfo, block: PyNode): PyNode[][] {
  return fn.returns
    .filter((r) => r.start >= block.start && r.end <= block.end)
    .map((r) => unparen(r))
    .filter((u) => u.type === 'tuple' || u.type === 'expression_list')
    .map((u) => namedChildren(u))
    .filter((p) => p.length === 2);
}

/**
 * A method that computes either direction by a parameter (`forward(self, x, mode="direct")`, `reverse=False`) and
 * returns, in the two branches of an `if` on it, the same log-determinant computed by the same code from what each
 * branch computes (pytorch-flows' MADE returned `-a.sum(-1)` for both): the inverse's log-determinant is minus the
 * forward's at the corresponding point, so one of the two has the wrong sign (unless it is zero, which is not judged).
 */
function checkSameInBothDirections(ctx: RuleContext, fn: FunctionInfo): boolean {
  const m = ctx.model;
  const flags = fn.params.filter((p) => FLOW_DIRECTION_KEYWORD.test(p.name));
  if (flags.length === 0) return false;
  const flagNames = new Set(flags.map((p) => p.name));
  const body = field(fn.node, 'body');
  if (!body) return false;
  const ifs: PyNode[] = [];
  const walk = (x: PyNode): void => {
    if (x.type === 'function_definition' || x.type === 'class_definition' || x.type === 'lambda') return;
    if (x.type === 'if_statement') ifs.push(x);
    for (const c of namedChildren(x)) walk(c);
  };
  walk(body);
  for (const st of ifs) {
    const cond = field(st, 'condition');
    if (!cond || !readsAny(m, cond, flagNames)) continue;
    const cons = field(st, 'consequence');
    const alts = namedChildren(st).filter((c) => c.type === 'else_clause' || c.type === 'elif_clause');
    if (!cons || alts.length !== 1 || alts[0].type !== 'else_clause') continue;
    const alt = field(alts[0], 'body') ?? alts[0];
    for (const a of pairsIn(fn, cons)) {
      for (const b of pairsIn(fn, alt)) {
        // The transformed values differ (two maps), by their text or by the code that computes them in each branch.
        const va = expanded(m, fn, a[0], cons);
        const vb = expanded(m, fn, b[0], alt);
        if ((va && vb ? va.text === vb.text : m.textOf(a[0]) === m.textOf(b[0])) || deliberatelyZero(m, a[1]) || deliberatelyZero(m, b[1])) continue;
        const ea = expanded(m, fn, a[1], cons);
        const eb = expanded(m, fn, b[1], alt);
        // A log-determinant is a sum of logs of scales or Jacobian diagonals: a second item without a sum or a log (an
        // RNN's hidden state beside its output) is something else.
        if (!ea || !eb || !ea.local || !eb.local || ea.text !== eb.text || !LOG_DET_SHAPE.test(ea.text)) continue;
        // Reported in the branch that computes the inverse (the sampling pass, usually the one no test checks).
        const consDir = conditionDirection(m, cond, flagNames);
        const [here, there] = consDir === 'inverse' ? [a, b] : [b, a];
        ctx.report({
          node: here[1],
          message:
            `\`${fn.name}\` computes the forward or the inverse direction by \`${flags[0].name}\`, and both branches return the ` +
            `log-determinant \`${ctx.text(here[1]).replace(/\s+/g, ' ')}\` computed by the same code: the inverse's log|det J| is minus ` +
            "the forward's at the corresponding point, so one of the two has the wrong sign, and every density (or sample " +
            "log-probability) computed through that direction is off by twice the term. Negate it in the branch that computes " +
            'the other direction.',
          related: [{ node: there[1], message: 'the same log-determinant in the other branch' }],
        });
        return true;
      }
    }
  }
  return false;
}

const LOG_DET_SHAPE = /\b(?:sum|reduce_sum|log|log1p|logdet|slogdet|log_abs_det_jacobian|log_abs_det)\b/;

/** Which direction the consequence of `if cond:` computes: `if reverse:`, `if not inverse:`, `if mode == "direct":`. */
function conditionDirection(m: SemanticModel, cond: PyNode, flags: ReadonlySet<string>): Direction | null {
  const u = unparen(cond);
  if (u.type === 'identifier') return flags.has(m.textOf(u)) && !/^(?:mode|direction)$/.test(m.textOf(u)) ? 'inverse' : null;
  if (u.type === 'not_operator') {
    const d = conditionDirection(m, field(u, 'argument') ?? u, flags);
    return d === 'inverse' ? 'forward' : d === 'forward' ? 'inverse' : null;
  }
  if (u.type === 'comparison_operator') {
    const ops = u.children.filter((c) => c.type === '==' || c.type === '!=');
    const lit = namedChildren(u).find((c) => c.type === 'string');
    if (ops.length !== 1 || !lit) return null;
    const v = m.textOf(lit).replace(/^[rbuf]*['"]+|['"]+$/gi, '').toLowerCase();
    const d: Direction | null = FLOW_INVERSE_MODE.test(v) ? 'inverse' : FLOW_FORWARD_MODE.test(v) ? 'forward' : null;
    return d && ops[0].type === '!=' ? (d === 'inverse' ? 'forward' : 'inverse') : d;
  }
  return null;
}


export const AGL089: Rule = {
  meta: {
    code: 'AGL089',
    name: 'flow-log-det-direction',
    summary: "A flow's forward or inverse method returns a log-determinant with the wrong sign for its direction: a step of its own map subtracted, the other direction's added (not negated), or the same in both directions.",
    framework: 'any',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds methods that compute one direction of a normalizing flow or bijection and return its log-determinant, by a ' +
        'name that says so (`forward_and_log_det`, `transform_and_log_det`, `call_and_ladj`; `inverse_and_log_det`; not ' +
        'plain `forward`/`inverse`, whose direction and second item differ between libraries, nor a method that takes a ' +
        'direction argument such as `reverse=` or `mode=`), and reads the log-determinant each returns as the second ' +
        'item of a pair: a signed sum of log-determinants of calls (through names, `ld += ...`/`ld -= ...` accumulation, ' +
        'negation, `.sum(...)` and reshapes). A call computes the forward direction when it calls a method named so ' +
        '(`self.bijection.transform_and_log_det(x)`) or runs a layer of the flow\'s own list as a module or by `forward` ' +
        '(`flow(z)` in a loop over `self.flows`, `self.flows[i](z)`), the inverse one by `inverse_and_log_det`, or a layer\'s ' +
        '`inverse`/`reverse`; `reverse=True` or ' +
        '`mode="inverse"` decide. A call whose transformed value the method returns (`z, ld = flow(z)` ... `return z, total`) ' +
        'is a step of the method\'s own map and its log-determinant must be added, whatever its name (an `Inverse` wrapper\'s ' +
        'forward is its bijection\'s `inverse_and_log_det`); a call evaluated at another point (a numerical inverse\'s ' +
        '`_, ld = f.transform_and_log_det(x)` at the recovered `x`) must be added if it computes the method\'s direction and ' +
        'negated if it computes the other. Reports a term with the other sign. Also a method that computes either direction ' +
        'by an argument (`reverse=`, `inverse=`, `mode="direct"`) and returns, in the two branches of an `if` on it, ' +
        'different values with the same log-determinant computed by the same code (names expanded to what the branch binds ' +
        'them to, the arguments of the layer\'s own networks `self.net(...)` left out; a sum or a log in it; not a zero ' +
        'and not a parameter passed through): reported in the inverse branch.',
      whyIsThisBad:
        'A flow\'s density is `log p(x) = log p_base(z) + log|det ∂z/∂x|`: the log-determinant of a composition is the sum ' +
        'of its layers\' log-determinants in the same direction, and the inverse\'s log-determinant at `y` is minus the ' +
        'forward\'s at `x = f⁻¹(y)`. With the wrong sign the density is off by twice the log-determinant: the likelihood that ' +
        'is maximized (or the KL divergence) rewards expanding volume instead of penalizing it, and training runs without an ' +
        'error to a wrong model (normflows: `forward_and_log_det` subtracted the layers\' log-determinants, fixed to add ' +
        'them; flowjax#208: a numerical inverse returned the forward log-determinant at the recovered point).',
      example:
        '```python\ndef inverse_and_log_det(self, y, condition=None):\n    x = self.inverter(self.bijection, y, condition)\n' +
        '    _, log_det = self.bijection.transform_and_log_det(x, condition)\n    return x, log_det\n```',
      useInstead: '```python\n    return x, -log_det\n```',
      knownProblems:
        'Only directions the names tell are read: a method named otherwise (`forward`, `_cascade`, `f`), a layer whose direction ' +
        'comes from a computed flag, or a log-determinant computed by the method\'s own formula (`-a.sum(-1)`) is not judged ' +
        '(two branches are compared only when they return the same code). A library whose inverse methods ' +
        'return the forward log-determinant by convention would be reported: suppress with `# noqa: AGL089`.',
      fixSafety: 'No automatic fix: which sign is meant depends on the convention of the library.',
      references: [
        '[Papamakarios et al., Normalizing Flows for Probabilistic Modeling and Inference (2021), section 2.1](https://jmlr.org/papers/v22/19-1028.html)',
        '[normflows: fixed sign of log det of forward_and_log_det](https://github.com/VincentStimper/normalizing-flows/commit/8b5415f82b956691e160e476bb893135e290ae91)',
        '[flowjax#208: wrong logdet sign in NumericalInverse](https://github.com/danielward27/flowjax/issues/208)',
        '[distrax: Bijector.inverse_and_log_det](https://github.com/google-deepmind/distrax/blob/master/distrax/_src/bijectors/bijector.py)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    for (const fn of m.functions) {
      if (!fn.isMethod || fn.node.type === 'lambda') continue;
      if (checkSameInBothDirections(ctx, fn)) continue;
      const dir = methodDirection(fn.name);
      if (!dir || takesDirection(fn)) continue;
      let reported = false;
      for (const ret of fn.returns) {
        if (reported) break;
        const u = unparen(ret);
        const pair = u.type === 'tuple' || u.type === 'expression_list' ? namedChildren(u) : null;
        if (!pair || pair.length !== 2) continue;
        const out: Term[] = [];
        terms(m, fn, pair[1], 1, pair[1], new Set(), out);
        for (const t of out) {
          const expected = t.onPath || t.dir === dir ? 1 : -1;
          if (t.sign === expected) continue;
          const call = ctx.text(t.call).replace(/\s+/g, ' ');
          const callText = call.length > 60 ? `${call.slice(0, 57)}...` : call;
          ctx.report({
            node: t.at,
            message: t.onPath
              ? `\`${fn.name}\` returns the value \`${callText}\` transforms, so that call is a step of the map \`${fn.name}\` ` +
                'computes, but its log-determinant is subtracted: the log-determinant of a composition is the sum of its steps\' ' +
                '(log|det J_g∘f| = log|det J_g| + log|det J_f|). With this sign every density through the flow is off by twice ' +
                'the term, and the likelihood rewards the volume change it should penalize. Add it.'
              : `\`${fn.name}\` computes the ${dir} direction, but its log-determinant ${t.sign === 1 ? 'adds' : 'subtracts'} the ` +
                `log-determinant of \`${callText}\`, which computes the ${t.dir} direction and whose transformed value is not the one returned: ` +
                `${t.dir === dir ? 'a term of the same direction counts with a plus' : "the inverse's log|det J| is minus the forward's at the corresponding point"}. ` +
                'With this sign every density through the flow is off by twice the term, and the likelihood rewards the volume ' +
                `change it should penalize. ${expected === 1 ? 'Add it' : 'Negate it'}.`,
            related: [{ node: t.call, message: `the ${t.dir} direction's log-determinant` }],
          });
          reported = true;
          break;
        }
      }
    }
  },
};
