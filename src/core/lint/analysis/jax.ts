/**
 * JAX semantics for the analysis: transforms (`jax.grad`, `jacfwd`, `vmap`, `jit`) as function values
 * that differentiate or map when called, `jax.numpy` as differentiable array operations,
 * `jax.lax.stop_gradient` as a cut. JAX is not run where this project is tested (see
 * `../knowledge/jax.ts` for the sources).
 */
import type { PyNode } from '../tree';
import type { Env } from './env';
import type { Frame } from './interpreter';
import type { Args, LibrarySemantics } from './library';
import { JAX_CUT_FUNCTIONS, JAX_DERIVATIVES, JAX_INDEX_FUNCTIONS, JAX_INTEGER_TYPES, JAX_MAPS, JAX_PIECEWISE_LINEAR, JAX_RANDOM_DISCRETE, JAX_RANDOM_DISTRIBUTION_ARGS, JAX_RANDOM_FLOAT, JAX_RISKY } from '../knowledge/jax';
import { SMOOTH_FUNCTIONS, type DerivativeSpec } from '../knowledge/torch';
import { dependsOnInput, positionalArgs, unsqueezedDims } from './library';
import { av, combineTensors, cutTensor, isKind, Kind, NO_IDS, tensorFacts, union, UNKNOWN, type AV, type Dims } from './values';
import { ELEMENTWISE, visibleShape } from '../jax';

export interface VmapUse {
  node: PyNode;
  transform: string;
  result: AV;
}

export class JaxSemantics {
  readonly vmaps: VmapUse[] = [];

  constructor(private readonly L: LibrarySemantics) {}

  spec(q: string): DerivativeSpec | null {
    return JAX_DERIVATIVES[q] ?? null;
  }

  /**
   * `jax.grad(f)` (and the other derivative transforms) made in this file but not yet applied here, by the
   * transform call's node id: a library returns `jax.grad(energy)` for its caller to apply.
   */
  readonly unapplied = new Map<number, { q: string; value: AV; node: PyNode }>();

  call(q: string, args: Args, node: PyNode, env: Env, frame: Frame): AV | null {
    const a0 = args.pos[0] ?? args.kw.get('fun') ?? UNKNOWN;
    if (JAX_DERIVATIVES[q]) {
      const value = this.L.transform(q, JAX_DERIVATIVES[q], args, node);
      if (!this.applied.has(node.id)) this.unapplied.set(node.id, { q, value, node });
      return value;
    }
    if (JAX_MAPS.has(q)) {
      if (q === 'jax.jit' || q === 'jax.checkpoint' || q === 'jax.remat') return a0;
      return this.L.transform(q, null, args, node);
    }
    if (JAX_RANDOM_FLOAT.has(q) || JAX_RANDOM_DISCRETE.has(q)) {
      // `jax.random.normal(key, shape)`: fresh data of that shape. A discrete sampler's distribution arguments
      // (`bernoulli`'s `p`, `categorical`'s `logits`) do not reach the draws differentiably: they are cut there.
      const dist = JAX_RANDOM_DISTRIBUTION_ARGS[q];
      const shape = q === 'jax.random.bernoulli' || q === 'jax.random.categorical' ? args.kw.get('shape') : (args.kw.get('shape') ?? args.pos[1]);
      const dims = shape?.items ? shape.items.map((i) => (typeof i.lit === 'number' ? i.lit : null)) : typeof shape?.lit === 'number' ? [shape.lit] : null;
      const fed = dist ? dist.map(([i, k]) => args.kw.get(k) ?? args.pos[i]).filter((v): v is AV => !!v?.t) : [];
      const cuts = fed.length > 0 ? cutTensor(combineTensors(fed.map((v) => v.t)), node.id).cuts : [];
      // `choice(key, a, ...)` gathers entries of `a`: its result depends on `a` as an indexing would.
      const kept = q === 'jax.random.choice' || q === 'jax.random.permutation' ? (args.kw.get('a') ?? args.kw.get('x') ?? args.pos[1])?.t : null;
      const dtype = JAX_RANDOM_FLOAT.has(q) ? 'float' : q === 'jax.random.bernoulli' ? 'bool' : kept ? kept.dtype : 'int';
      const t = kept ? tensorFacts({ ...combineTensors([kept, tensorFacts({ cuts })]), dims, dtype }) : tensorFacts({ dims, dtype, cuts });
      return av({ kind: Kind.TENSOR, t, site: node.id });
    }
    if (JAX_CUT_FUNCTIONS.has(q) || JAX_INTEGER_TYPES.has(q)) {
      // `jnp.argmax(logits, axis=-1)`, `jnp.round(x)`, `jnp.int32(x)`, `jnp.greater(a, b)`: no derivative reaches the arguments.
      const parts = q === 'jax.lax.stop_gradient' ? [a0] : [...args.pos, ...args.kw.values()].filter((p) => p.t);
      const t = parts.length > 0 ? cutTensor(combineTensors(parts.map((p) => p.t)), node.id, !JAX_INDEX_FUNCTIONS.has(q)) : tensorFacts({});
      const integer = JAX_INTEGER_TYPES.has(q) || JAX_INDEX_FUNCTIONS.has(q);
      return av({ kind: Kind.TENSOR, t: integer ? tensorFacts({ ...t, dtype: 'int' }) : t, site: node.id });
    }
    if (q.startsWith('jax.numpy.') || q.startsWith('jax.nn.') || q.startsWith('jax.lax.') || q.startsWith('jax.scipy.')) {
      const parts = [...args.pos, ...args.kw.values()].filter((p) => p.t);
      if (q === 'jax.numpy.multiply' || q === 'jax.lax.mul') this.L.noteLogProduct(node, args.pos[0], args.pos[1], args.posNodes[0], args.posNodes[1]);
      const base = combineTensors(parts.map((p) => p.t));
      const name = q.slice(q.lastIndexOf('.') + 1);
      const reduce = /^(sum|mean|prod|max|min|std|var|dot|vdot|trace|norm)$/.test(name) && !args.kw.has('axis') && args.pos.length <= 1;
      // `power(x, p)` with a visible exponent of 1 or more (or 0) has a finite derivative everywhere: p x^(p-1).
      const smoothPower = (name === 'power' || name === 'pow') && typeof args.pos[1]?.lit === 'number' && (args.pos[1].lit >= 1 || args.pos[1].lit === 0);
      // `maximum(norm(x), eps)`, `clip(sqrt(x), eps)`: a floor applied after the singular operation.
      const floored =
        name === 'maximum' || name === 'fmax'
          ? this.L.floorMasked(args.pos[0], args.pos[1], node, frame)
          : name === 'clip'
            ? this.L.floorMasked(args.pos[0], args.kw.get('a_min') ?? args.kw.get('min') ?? args.pos[1], node, frame)
            : name === 'nan_to_num'
              ? this.L.nonFiniteCleaned(args.pos[0], node, frame)
              : NO_IDS;
      // `lax.cond(x > 0, lambda _: jnp.log(x), ...)`, `lax.scan(step, init, xs)`: the functions given compute the result
      // from what they close over, which these facts do not see; a cut of the predicate is not the result's only path.
      const runsFunctions = [...args.pos, ...args.kw.values()].some((p) => isKind(p, Kind.FUNC) || isKind(p, Kind.UNKNOWN));
      const t = tensorFacts({
        ...base,
        cuts: runsFunctions && q.startsWith('jax.lax.') ? [] : base.cuts,
        risky: name === 'where' || floored.length > 0 ? NO_IDS : (JAX_RISKY.has(q) && !smoothPower) || name === 'exp' ? union(base.risky, this.L.riskySite(args.pos[0], node)) : base.risky,
        masked: name === 'where' && args.pos.length >= 3 ? union(base.masked, this.L.whereMasked(args.posNodes[0] ?? null, args.pos.slice(1), node, frame, { branchNodes: args.posNodes.slice(1) })) : union(base.masked, floored),
        pwl: JAX_PIECEWISE_LINEAR.has(q) ? union(base.pwl, [node.id]) : base.pwl,
        curved: SMOOTH_FUNCTIONS.has(name) && dependsOnInput(base) ? union(base.curved, [node.id]) : base.curved,
        dims: reduce ? [] : name === 'where' ? (args.pos[1]?.t?.dims ?? null) : name === 'expand_dims' ? unsqueezedDims(args.pos[0]?.t?.dims ?? null, (args.kw.get('axis') ?? args.pos[1])?.lit) : this.dimsOf(name, parts, node),
        dtype: 'float',
        // `jnp.zeros(n)`: 0 in every entry (a zero-initialised parameter, a zero vector a function is evaluated at);
        // `jnp.array([0.4, 0.5, 0.0])`: floating-point data written with a 0 entry (a parameter table with a zero).
        zeros: this.L.keptZeros(node, args.pos[0]),
        zeroData: q === 'jax.numpy.zeros' ? this.L.zeroDataSite(node) : this.literalZeroEntry(q, args) ? this.L.zeroDataSite(node, true) : this.L.keptZeroData(node, args.pos[0]),
        viewOf: name === 'expand_dims' && args.pos[0] && args.pos[0].site >= 0 ? args.pos[0].site : null,
      });
      return av({ kind: Kind.TENSOR, t, site: node.id });
    }
    void env;
    void frame;
    return null;
  }

  /**
   * `jnp.array(data)` / `jnp.asarray(data)` of a literal list (nested lists too) with a 0 entry (`0.0`, `0.`, `0`) and no
   * integer `dtype`: data holding a 0. Integer data (`jnp.array([0, 1, 0])`, labels) is not differentiated itself, but a
   * product of it with a differentiated value (`jnp.array((0, 1)) * x`) is 0 at that entry (the marker counts only where the
   * value depends on a differentiated input: `singularZeros`).
   */
  private literalZeroEntry(q: string, args: Args): boolean {
    if (q !== 'jax.numpy.array' && q !== 'jax.numpy.asarray') return false;
    const data = args.posNodes[0];
    if (!data || (data.type !== 'list' && data.type !== 'tuple')) return false;
    const dtype = args.kwNodes.get('dtype') ?? args.posNodes[1];
    if (dtype && /int|bool/i.test(this.L.text(dtype))) return false;
    let zero = false;
    const visit = (n: PyNode): void => {
      for (const c of n.children) {
        if ((c.type === 'float' || c.type === 'integer') && Number(this.L.text(c)) === 0) zero = true;
        else if (c.type === 'list' || c.type === 'tuple' || c.type === 'unary_operator') visit(c);
      }
    };
    visit(data);
    return zero;
  }

  /**
   * The shape of a `jax.numpy`/`jax.nn` call's result where it is visible: a factory with literal sizes
   * (`jnp.array([1., 2., 3.])`, `jnp.ones((n, d))`, `jnp.linspace(0, 1, 50)`; `visibleShape`), or an elementwise
   * function of one array (`jnp.sin(x)`: x's shape). Other calls (`jnp.sum(x, axis=1)`, `jnp.squeeze(x)`,
   * `jnp.dot(a, b)`) change the shape in ways not followed here: unknown.
   */
  private dimsOf(name: string, parts: readonly AV[], node: PyNode): Dims {
    const seen = visibleShape(this.L.I.model, node);
    if (seen && seen.length > 0) return seen.map((d) => (d < 0 ? null : d));
    if (parts.length === 1 && ELEMENTWISE.has(name)) return parts[0].t?.dims ?? null;
    return null;
  }

  callInstance(callee: AV, q: string, args: Args, node: PyNode, env: Env, frame: Frame): AV | null {
    void callee;
    void q;
    void args;
    void node;
    void env;
    void frame;
    return null;
  }

  /** Transform calls whose result was applied somewhere in the file. */
  private readonly applied = new Set<number>();

  /** A JAX derivative transform made at `obj` is applied (`jax.grad(f)(x)`, `df = jax.grad(f); df(x)`). */
  noteApplied(obj: number | null): void {
    if (obj === null) return;
    this.applied.add(obj);
    this.unapplied.delete(obj);
  }

  /**
   * After the entry points: each derivative transform nothing in the file applies is applied once to
   * arguments nobody passes visibly (opaque), so that what it differentiates (a `where` over a `sqrt`, a
   * squared norm) is seen as differentiated, as it is where the caller applies it.
   */
  afterEntries(env: Env, frame: Frame): void {
    for (const [id, u] of [...this.unapplied]) {
      this.unapplied.delete(id);
      const inner = u.value.elem;
      if (!inner || !isKind(inner, Kind.FUNC) || inner.fns.length === 0) continue;
      const info = this.L.I.model.functionOf(inner.fns[0].node);
      if (!info) continue;
      const params = info.params.filter((p, i) => !(i === 0 && info.isMethod) && p.param?.star === 'none' && !/default_parameter$/.test(p.target.parent?.type ?? ''));
      if (params.length === 0) continue;
      const opaque = params.map(() => av({ kind: Kind.UNKNOWN, t: tensorFacts({ opaque: true }) }));
      this.L.callTransform(u.q, u.value, positionalArgs(opaque), u.node, env, frame);
    }
  }

  noteVmap(q: string, callee: AV, result: AV, node: PyNode, frame: Frame): void {
    void callee;
    void frame;
    this.vmaps.push({ node, transform: q, result });
  }
}
