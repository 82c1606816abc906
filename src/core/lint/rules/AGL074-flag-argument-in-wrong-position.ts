/**
 * AGL074 flag-argument-in-wrong-position: a boolean flag passed by position to a parameter of another name —
 * `jacrev(fun, argnums, holomorphic)`, whose third parameter is `has_aux` (jax-ml/jax#9969: `jax.hessian` passed its
 * `holomorphic` flag that way, so `holomorphic=True` turned on `has_aux`). The argument is a name that is itself the
 * name of another boolean parameter of the same callee, so the caller meant that parameter. Read from JAX's
 * signatures (knowledge/jax.ts) and from the file's own functions whose parameters have `True`/`False` defaults.
 */
import { JAX_TRANSFORM_FLAGS, JAX_TRANSFORM_PARAMS } from '../knowledge/jax';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { field, unparen, type PyNode } from '../tree';

interface Signature {
  name: string;
  params: readonly string[];
  flags: ReadonlySet<string>;
  def: PyNode | null;
}

/** Whether a parameter's default is `True` or `False`. */
function boolDefault(p: PyNode): boolean {
  const decl = p.parent;
  if (!decl || (decl.type !== 'default_parameter' && decl.type !== 'typed_default_parameter')) return false;
  const v = field(decl, 'value');
  return !!v && (unparen(v).type === 'true' || unparen(v).type === 'false');
}

function localSignature(fn: FunctionInfo): Signature | null {
  if (fn.isMethod || fn.params.some((p) => p.param?.star !== 'none')) return null;
  const params = fn.params.map((p) => p.name);
  const flags = new Set(fn.params.filter((p) => boolDefault(p.target)).map((p) => p.name));
  return flags.size >= 2 ? { name: fn.name, params, flags, def: fn.node } : null;
}

function signatureOf(m: SemanticModel, c: CallInfo): Signature | null {
  if (c.local) return localSignature(c.local);
  const callee = field(c.node, 'function');
  const id = callee ? unparen(callee) : null;
  if (id && id.type === 'identifier' && m.isUse(id)) {
    const reach = m.reachingBindings(id);
    if (reach.length === 1 && reach[0].kind === 'def') {
      const stmt = reach[0].stmt;
      const def = stmt.type === 'decorated_definition' ? field(stmt, 'definition') : stmt;
      const fn = def ? m.functionOf(def) : undefined;
      return fn ? localSignature(fn) : null;
    }
  }
  const params = c.qname ? JAX_TRANSFORM_PARAMS[c.qname] : undefined;
  return params ? { name: c.qname!, params, flags: JAX_TRANSFORM_FLAGS, def: null } : null;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

function ordinal(k: number): string {
  if (k < ORDINALS.length) return ORDINALS[k];
  const n = k + 1;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export const AGL074: Rule = {
  meta: {
    code: 'AGL074',
    name: 'flag-argument-in-wrong-position',
    summary: 'A boolean flag passed by position to a parameter of another name: `jacrev(f, argnums, holomorphic)` sets `has_aux`.',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds a call of a JAX derivative transform (`jax.grad`, `value_and_grad`, `jacrev`, `jacfwd`, `hessian`), or of a ' +
        'function of the file with at least two parameters defaulting to `True`/`False`, where a positional argument is a ' +
        'name that is another boolean parameter of the callee than the one it lands in: `jacrev(fun, argnums, holomorphic)`, ' +
        'whose third parameter is `has_aux`.',
      whyIsThisBad:
        'The flag sets the parameter at its position, silently: in jax-ml/jax#9969 `jax.hessian(f, holomorphic=True)` passed ' +
        '`holomorphic` as the third positional argument of `jacrev`/`jacfwd`, which is `has_aux`, so it raised "expected ' +
        'function with aux output to return a two-element tuple" for a plain function and returned the aux value for one ' +
        'with aux, and never computed the holomorphic Hessian.',
      example: '```python\ndef hessian(fun, argnums=0, holomorphic=False):\n    return jacfwd(jacrev(fun, argnums, holomorphic), argnums, holomorphic)\n```',
      useInstead: '```python\ndef hessian(fun, argnums=0, holomorphic=False):\n    return jacfwd(jacrev(fun, argnums, holomorphic=holomorphic), argnums, holomorphic=holomorphic)\n```',
      knownProblems:
        'Only a positional argument that is a plain name equal to another flag of the callee is read; a literal `True` in the ' +
        'wrong place, or a flag of another name, is not. Functions of the file count only with two or more boolean defaults.',
      fixSafety: 'The fix passes the argument by the keyword its name says (`holomorphic=holomorphic`); it is unsafe, since the parameter it used to set goes back to its default.',
      references: ['[jax-ml/jax#9969: hessian passes holomorphic as has_aux](https://github.com/jax-ml/jax/issues/9969)', '[jax.jacrev](https://docs.jax.dev/en/latest/_autosummary/jax.jacrev.html)'],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    for (const c of m.calls) {
      if (c.hasStarArgs || c.positional.length < 2) continue;
      const sig = signatureOf(m, c);
      if (!sig) continue;
      for (let k = 0; k < c.positional.length && k < sig.params.length; k++) {
        const arg = unparen(c.positional[k]);
        if (arg.type !== 'identifier') continue;
        const name = m.textOf(arg);
        const param = sig.params[k];
        if (name === param || !sig.flags.has(param) || !sig.flags.has(name) || c.keywords.has(name)) continue;
        // Everything after it must go by keyword in the fix; only the last positional argument is rewritten.
        const last = k === c.positional.length - 1;
        const callee = ctx.text(field(c.node, 'function') ?? c.node);
        ctx.report({
          node: c.positional[k],
          message:
            `\`${name}\` is passed as the ${ordinal(k)} positional argument of \`${callee}\`, which is its parameter \`${param}\`, ` +
            `not \`${name}\`: the flag sets \`${param}\` and \`${name}\` keeps its default${param === 'has_aux' && c.qname ? ' (with `has_aux` on, JAX expects the function to return an `(output, aux)` pair)' : ''}. ` +
            `Pass it by keyword: \`${name}=${name}\`.`,
          related: sig.def ? [{ node: sig.def, message: `\`${sig.name}\` is defined here` }] : [],
          fixes: last ? [{ title: `Pass \`${name}=${name}\` (unsafe: \`${param}\` goes back to its default)`, safe: false, edits: [ctx.replace(c.positional[k], `${name}=${name}`)] }] : [],
        });
      }
    }
  },
};
