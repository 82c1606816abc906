/**
 * AGL052 jax-numpy-on-tracer: a NumPy function (`np.asarray`, `np.sin`, ...) applied to a value JAX
 * traces: an argument of a function transformed by `jax.jit`/`grad`/`vmap`/..., or the input of a Flax
 * module's `__call__`. Under the transform the value is a tracer, and NumPy's conversion of it raises
 * `TracerArrayConversionError`. Checked against JAX's documentation, not run.
 */
import { JAX_TRANSFORMS, literalInts, literalStrings, positionalParams, resolveFunction, tracedBindings, tracedIn } from '../jax';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { contains, field, namedChildren, unparen, type PyNode } from '../tree';

const DERIVATIVES = new Set(['jax.grad', 'jax.value_and_grad', 'jax.jacfwd', 'jax.jacrev', 'jax.jacobian', 'jax.hessian']);
const MAPS = new Set(['jax.vmap', 'jax.pmap']);
/** NumPy functions that only read a tracer's shape or dtype, which JAX allows. */
const NUMPY_STATIC = new Set([
  'shape', 'ndim', 'size', 'result_type', 'dtype', 'iinfo', 'finfo', 'issubdtype', 'isscalar', 'promote_types', 'can_cast',
]);
const FLAX_MODULES = /^flax\.(?:linen|nnx)\.(?:Module|module\.Module)$/;

interface Traced {
  fn: FunctionInfo;
  /** Parameter indices (positions in `fn.params`) that are traced. */
  params: Set<number>;
  why: string;
  site: PyNode;
}

/**
 * Which parameters of the function a transform call traces, or null when the call's options are not
 * literal (then nothing is claimed).
 */
function tracedByTransform(m: SemanticModel, c: CallInfo, fn: FunctionInfo): Set<number> | null {
  const pos = positionalParams(fn);
  const q = c.qname!;
  if (q === 'jax.jit') {
    const nums = c.keywords.has('static_argnums') ? literalInts(m, c.keywords.get('static_argnums')) : [];
    const names = c.keywords.has('static_argnames') ? literalStrings(m, c.keywords.get('static_argnames')) : [];
    if (nums === null || names === null || c.hasKwargs || c.positional.length > 1) return null;
    return new Set(pos.filter((i, k) => !nums.includes(k) && !names.includes(fn.params[i].name)));
  }
  if (DERIVATIVES.has(q)) {
    const nums = c.keywords.has('argnums') ? literalInts(m, c.keywords.get('argnums')) : c.positional.length > 1 ? literalInts(m, c.positional[1]) : [0];
    if (nums === null || c.hasKwargs) return null;
    return new Set(nums.map((k) => pos[k]).filter((i) => i !== undefined));
  }
  if (MAPS.has(q)) {
    const axes = c.keywords.get('in_axes') ?? c.positional[1];
    if (!axes) return new Set(pos);
    const u = unparen(axes);
    if (u.type === 'integer') return new Set(pos);
    if (u.type !== 'tuple' && u.type !== 'list') return null;
    const items = namedChildren(u).map(unparen);
    return new Set(pos.filter((_, k) => items[k] !== undefined && items[k].type !== 'none'));
  }
  return null;
}

function transformedFunctions(m: SemanticModel): Traced[] {
  const out: Traced[] = [];
  for (const c of m.calls) {
    if (!c.qname || !JAX_TRANSFORMS.has(c.qname) || c.calleeCall || c.qname === 'jax.checkpoint' || c.qname === 'jax.remat') continue;
    const arg = c.keywords.get('fun') ?? c.positional[0];
    if (!arg) continue;
    const fn = resolveFunction(m, arg);
    if (!fn) continue;
    const params = tracedByTransform(m, c, fn);
    if (params && params.size > 0) out.push({ fn, params, why: `${fn.name === '<lambda>' ? 'the lambda' : `\`${fn.name}\``} is transformed by \`${m.textOf(field(c.node, 'function')!)}\``, site: c.node });
  }
  for (const fn of m.functions) {
    if (fn.name === '<lambda>') continue;
    const def = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : null;
    if (def && !fn.isMethod) {
      for (const d of def.children) {
        if (d.type !== 'decorator') continue;
        const expr = namedChildren(d)[0];
        const q = expr ? m.qualifiedName(expr) : null;
        if (!expr || !q || unparen(expr).type === 'call' || !JAX_TRANSFORMS.has(q) || q === 'jax.checkpoint' || q === 'jax.remat') continue;
        out.push({ fn, params: new Set(positionalParams(fn)), why: `\`${fn.name}\` is transformed by \`@${m.textOf(expr)}\``, site: expr });
      }
    }
    // A Flax module's `__call__`: its inputs are traced whenever the model is jitted or differentiated.
    if (fn.isMethod && fn.name === '__call__') {
      const cls = fn.node.parent?.type === 'block' ? fn.node.parent.parent : def?.parent?.type === 'block' ? def.parent.parent : null;
      if (!cls || cls.type !== 'class_definition') continue;
      const supers = field(cls, 'superclasses');
      if (!supers || !namedChildren(supers).some((s) => FLAX_MODULES.test(m.qualifiedName(s) ?? ''))) continue;
      // Inputs without a default (`x`), not flags such as `train: bool = False`.
      const params = positionalParams(fn).filter((i) => fn.params[i].target.parent?.type !== 'default_parameter' && fn.params[i].target.parent?.type !== 'typed_default_parameter');
      if (params.length > 0) out.push({ fn, params: new Set(params), why: `it is an input of the Flax module \`${m.textOf(field(cls, 'name')!)}\`, traced when the model is jitted or differentiated in training`, site: fn.node });
    }
  }
  return out;
}

export const AGL052: Rule = {
  meta: {
    code: 'AGL052',
    name: 'jax-numpy-on-tracer',
    summary:
      'A NumPy function is applied to a value JAX traces (an argument of a jitted, differentiated or vmapped function, or a ' +
      'Flax module\'s input): NumPy cannot convert a tracer and JAX raises TracerArrayConversionError. Use `jax.numpy`.',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds functions JAX traces: those passed to `jax.jit`, `jax.grad`, `jax.value_and_grad`, `jax.jacfwd`, `jax.jacrev`, ' +
        '`jax.hessian`, `jax.vmap` or `jax.pmap` (or decorated with one), with the arguments each traces (`static_argnums`/' +
        '`static_argnames` of `jit`, `argnums` of the derivatives, `in_axes=None` of `vmap` are left out), and the `__call__` ' +
        'of a Flax module (`flax.linen.Module`, `flax.nnx.Module`; inputs without a default). Inside them it reports a ' +
        'NumPy call (`np.asarray`, `np.array`, `np.sin`, `np.sum`...) whose argument is such a traced parameter or a value ' +
        'computed from one in the same function. Reading only the shape or dtype (`x.shape`, `np.shape(x)`, `len(x)`) is ' +
        'allowed and not reported.',
      whyIsThisBad:
        'Inside a transform JAX calls the function with tracers, abstract stand-ins for arrays that record operations. ' +
        'NumPy works on concrete buffers only: converting a tracer calls its `__array__`, which raises ' +
        '`TracerArrayConversionError: The numpy.ndarray conversion method __array__() was called on traced array`. A Flax ' +
        'model is trained through `jax.jit` and `jax.grad` of a loss that calls it, so a NumPy call on its input breaks ' +
        'training although `model.apply` on concrete arrays works.',
      example: [
        '```python',
        'class Layer(nn.Module):',
        '    @nn.compact',
        '    def __call__(self, x):',
        '        x = np.asarray(x)',
        '        return nn.Dense(4)(x)',
        '',
        '@jax.jit',
        'def loss(w, x):',
        '    return np.sum((x @ w) ** 2)',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'class Layer(nn.Module):',
        '    @nn.compact',
        '    def __call__(self, x):',
        '        x = jnp.asarray(x)',
        '        return nn.Dense(4)(x)',
        '',
        '@jax.jit',
        'def loss(w, x):',
        '    return jnp.sum((x @ w) ** 2)',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the JAX documentation, not run (JAX is not installed where this linter is tested). Helpers the ' +
        'traced function calls are not followed, and neither are transforms whose options are not literal ' +
        '(`static_argnums=args.static`) or applied through `functools.partial`. A Flax module used only through ' +
        '`model.apply` on concrete arrays, never jitted or differentiated, would work; the rule reports it anyway, since ' +
        'training transforms the module. NumPy inside `jax.pure_callback`/`jax.debug.callback` functions is fine and not ' +
        'reported (those functions are not transformed).',
      fixSafety: 'No automatic fix: `jax.numpy` has most but not all of NumPy\'s functions, with some differences.',
      references: [
        '[JAX errors: TracerArrayConversionError](https://docs.jax.dev/en/latest/errors.html#jax.errors.TracerArrayConversionError)',
        '[Flax: ivy pull request 16255, NumPy conversion inside a Flax module](https://github.com/unifyai/ivy/pull/16255)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const reported = new Set<number>();
    for (const t of transformedFunctions(m)) {
      const body = field(t.fn.node, 'body');
      if (!body) continue;
      // Traced bindings: the traced parameters, then assignments in the function computed from them.
      const traced = tracedBindings(m, t.fn, t.params);
      for (const c of m.calls) {
        if (!c.qname || !c.qname.startsWith('numpy.') || c.calleeCall || reported.has(c.node.id)) continue;
        if (!contains(body, c.node) || m.enclosingFunction(c.node) !== t.fn) continue;
        const name = c.qname.slice(c.qname.lastIndexOf('.') + 1);
        if (NUMPY_STATIC.has(name) || c.qname.startsWith('numpy.random.') || c.qname.startsWith('numpy.testing.')) continue;
        const args = [...c.positional, ...c.keywords.values()];
        let use: PyNode | null = null;
        for (const a of args) if (!use) use = tracedIn(m, a, traced);
        if (!use) continue;
        reported.add(c.node.id);
        const fnText = ctx.text(field(c.node, 'function')!);
        ctx.report({
          node: c.node,
          message:
            `\`${fnText}\` is given \`${ctx.text(use)}\`, which JAX traces here (${t.why}): NumPy cannot ` +
            `convert a tracer, and the call raises TracerArrayConversionError. Use \`jnp.${c.qname.slice('numpy.'.length)}\` (jax.numpy) instead.`,
          related: [{ node: t.site, message: 'the transform that traces the argument' }],
        });
      }
    }
  },
};
