/**
 * AGL099 root-at-reachable-zero: a square root (or a fractional power, or in JAX and TensorFlow a norm) of a sum of
 * squares whose terms the code makes exactly 0 at inputs it meets — a finite difference of an array with a shifted copy
 * of itself (an image gradient, a total variation: 0 on every flat region) — in code that differentiates through the root.
 * The root's derivative is infinite at 0 and the gradient is 0 × inf = NaN.
 *
 * Asked of the analysis: the squared terms of the root's operand and why each is 0 somewhere (zero-reach.ts), and
 * whether a derivative is taken through the root (its site among the risky sites a derivative or backward passes, or a
 * forward pass / loss computing it).
 */
import { tensorOfValue } from '../analysis/library';
import { insideCustomDerivative } from '../custom-rules';
import type { Rule, RuleContext } from '../rule';
import type { FunctionInfo, SemanticModel } from '../semantic';
import { field, nodesOfType, unparen, type PyNode } from '../tree';
import { ZeroReach, type ZeroReason } from '../zero-reach';

const SQRT_FUNCTIONS = new Set(['torch.sqrt', 'jax.numpy.sqrt', 'jax.lax.sqrt', 'tensorflow.sqrt', 'tensorflow.math.sqrt']);
const POW_FUNCTIONS = new Set(['torch.pow', 'jax.numpy.power', 'jax.lax.pow', 'tensorflow.pow', 'tensorflow.math.pow']);
/** Norms whose derivative at 0 is 0/0 = NaN (PyTorch's `norm` defines it as 0 and is not among them). */
const SINGULAR_NORMS = new Set(['jax.numpy.linalg.norm', 'jax.numpy.linalg.vector_norm', 'tensorflow.norm', 'tensorflow.linalg.norm']);
/** `hypot(a, b) = sqrt(a ** 2 + b ** 2)`: its derivative at (0, 0) is 0/0 (NaN in PyTorch 1.13). */
const HYPOTS = new Set(['torch.hypot', 'jax.numpy.hypot', 'tensorflow.math.hypot']);
const WHERES = new Set(['torch.where', 'jax.numpy.where', 'tensorflow.where', 'jax.lax.select']);

const WHY: Record<ZeroReason['kind'], string> = {
  saturated:
    'the complement of a probability, exactly 0 in floating point once the logit saturates (1 - sigmoid(x) is 0 from x ≈ 17 on in float32, 1 - softmax likewise)',
  difference: 'a difference of neighbouring entries, 0 wherever they are equal (a flat region, a padded border, a constant signal)',
  rectified: 'the output of a rectifier, 0 for every input at or below 0',
};

interface Root {
  node: PyNode;
  operand: PyNode;
  kind: 'root' | 'norm';
  /** For `hypot(a, b)`: its two legs, the terms of its sum of squares. */
  legs?: PyNode[];
}

function fractionalExponent(text: string): boolean {
  const t = text.trim();
  if (!/^(?:\d+\.?\d*(?:e-?\d+)?|\d*\.\d+(?:e-?\d+)?|\(?\s*1\s*\/\s*\d+\.?\d*\s*\)?)$/.test(t)) return false;
  const m = /^\(?\s*1\s*\/\s*(\d+\.?\d*)\s*\)?$/.exec(t);
  const p = m ? 1 / Number(m[1]) : Number(t);
  return p > 0 && p < 1;
}

function roots(ctx: RuleContext): Root[] {
  const m = ctx.model;
  const out: Root[] = [];
  for (const c of m.calls) {
    if (c.qname && SQRT_FUNCTIONS.has(c.qname) && c.positional[0]) out.push({ node: c.node, operand: c.positional[0], kind: 'root' });
    else if (c.qname === null && c.receiver && c.method === 'sqrt' && c.positional.length === 0) out.push({ node: c.node, operand: c.receiver, kind: 'root' });
    else if (c.qname && POW_FUNCTIONS.has(c.qname) && c.positional[0] && c.positional[1] && fractionalExponent(ctx.text(c.positional[1])))
      out.push({ node: c.node, operand: c.positional[0], kind: 'root' });
    else if (c.qname === null && c.receiver && c.method === 'pow' && c.positional[0] && fractionalExponent(ctx.text(c.positional[0])))
      out.push({ node: c.node, operand: c.receiver, kind: 'root' });
    else if (c.qname && HYPOTS.has(c.qname) && c.positional.length === 2) out.push({ node: c.node, operand: c.positional[0], kind: 'root', legs: [...c.positional] });
    else if (c.qname && SINGULAR_NORMS.has(c.qname) && c.positional[0]) {
      const ord = c.keywords.get('ord') ?? c.positional[1];
      if (ord && !/^\s*(?:2|2\.0*|None|'fro'|"fro"|'euclidean'|"euclidean")\s*$/.test(ctx.text(ord))) continue;
      out.push({ node: c.node, operand: c.positional[0], kind: 'norm' });
    }
  }
  for (const n of nodesOfType(ctx.tree, 'binary_operator')) {
    const op = n.children.find((x) => x.field === 'operator');
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (op && ctx.text(op) === '**' && l && r && fractionalExponent(ctx.text(unparen(r)))) out.push({ node: n, operand: l, kind: 'root' });
  }
  return out;
}

/** A `where` (or `select`) around the root: a guard AGL017 judges. */
function insideWhere(m: SemanticModel, n: PyNode): boolean {
  const stmt = m.statementOf(n);
  for (let p = n.parent; p && p !== stmt; p = p.parent) {
    if (p.type === 'call') {
      const c = m.call(p);
      if (c && ((c.qname && WHERES.has(c.qname)) || c.method === 'where' || c.method === 'masked_fill')) return true;
    }
  }
  return false;
}

/** A module's forward pass or a loss: its result is differentiated by its callers. */
function trainingRole(fn: FunctionInfo | null): boolean {
  if (!fn || /^test/.test(fn.name)) return false;
  if (fn.isMethod && /^(?:forward|__call__|call)$/.test(fn.name)) return true;
  return /(?:^|_)loss(?:$|_)|Loss$/.test(fn.name);
}

/**
 * Why the operand of `r` is 0 somewhere: for a norm, the vector's reason; for a root, the complement of a probability
 * (`(1 - p) ** 0.5`, `sqrt(1 - p)`, a product with one), or a sum of squares each of whose terms has a reason.
 * A rectifier's zeros do not count: its own backward selects (`where`), so the root's NaN at 0 is dropped there for
 * every input below the kink (measured with PyTorch 1.13); only an input exactly at it keeps it.
 */
function zeroOperand(zr: ZeroReach, r: Root): ZeroReason | null {
  const counts = (w: ZeroReason | null): ZeroReason | null => (w && w.kind !== 'rectified' ? w : null);
  if (r.kind === 'norm') return counts(zr.reason(r.operand));
  if (!r.legs) {
    const p = zr.probabilityZero(r.operand);
    if (p) return p;
  }
  const terms = r.legs ?? zr.squaredTerms(r.operand);
  if (!terms || terms.length === 0) return null;
  let why: ZeroReason | null = null;
  for (const t of terms) {
    const w = counts(zr.reason(t));
    if (!w) return null;
    why ??= w;
  }
  return why;
}

export const AGL099: Rule = {
  meta: {
    code: 'AGL099',
    name: 'root-at-reachable-zero',
    summary: 'A square root or norm of differences of neighbouring entries (an image gradient, a total variation), or a fractional power of `1 - sigmoid`, is differentiated: NaN gradient where it is 0.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a square root (`torch.sqrt`, `x.sqrt()`, `jnp.sqrt`, `tf.sqrt`, `s ** 0.5`, `s.pow(0.5)`, another power between 0 and 1) of a sum of ' +
        'squares (`sum(v ** 2, dim)`, `a ** 2 + b ** 2`, `tf.reduce_sum(tf.square(v))`, `v * v`, through names bound once), `hypot(a, b)` ' +
        '(`torch.hypot`, `jnp.hypot`), and in JAX and ' +
        'TensorFlow a Euclidean norm (`jnp.linalg.norm(v)`, `tf.norm(v)`), when every squared term is a finite difference of an array ' +
        'with a shifted copy of itself (`x[:, 1:] - x[:, :-1]`, neighbouring indices `x[t] - x[t - 1]`, a circular shift `x - torch.roll(x, 1, -1)`, `torch.diff`, `x.diff()`, `jnp.diff`, the outputs of an image-gradient ' +
        'filter: `tf.image.image_gradients`, `tf.image.sobel_edges`, kornia\'s `spatial_gradient`) — an image gradient\'s magnitude, ' +
        'a total-variation term, a path\'s length — and the root is differentiated: a derivative or `backward()` in the file goes through ' +
        'it, or it is computed in a module\'s forward pass (`forward`, `__call__`, Keras\' `call`) or a function named as a loss. ' +
        'Also a root or fractional power of the complement of a probability, `1 - p` with `p` a `sigmoid` or `softmax` output ' +
        '(`(1 - p) ** 0.5` in a focal loss with γ < 1, `tf.pow(1.0 - p, 0.25)`, `sqrt(1 - p)`), differentiated the same way: ' +
        '`sigmoid(x)` rounds to exactly 1 from x ≈ 17 on in float32, so `1 - p` is exactly 0 for every confident prediction.',
      whyIsThisBad:
        'A difference of neighbouring entries is exactly 0 wherever they are equal: a flat region of an image, a padded border, a ' +
        'constant signal, a repeated frame. There the derivative of `sqrt(s)`, `1 / (2 sqrt(s))`, is infinite; the chain rule ' +
        'multiplies it by the derivative of the sum of squares, `2v = 0`, and `0 × inf = NaN`. One flat patch makes the whole ' +
        'gradient NaN, and the weights NaN after the next step (kornia\'s `sobel` magnitude had this bug). An epsilon added after the ' +
        'root (`sqrt(s) + eps`) keeps the value finite but not the derivative.',
      example: [
        '```python',
        'gx = img[..., :, 1:] - img[..., :, :-1]',
        'gy = img[..., 1:, :] - img[..., :-1, :]',
        'edges = torch.sqrt(gx[..., :-1, :] ** 2 + gy[..., :, :-1] ** 2)   # NaN gradient on flat regions',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'edges = torch.sqrt(gx[..., :-1, :] ** 2 + gy[..., :, :-1] ** 2 + 1e-6)   # epsilon inside the root',
        '# JAX: optax.safe_norm(v, 1e-12) or the double-where idiom',
        '```',
      ].join('\n'),
      knownProblems:
        'Only differences of one array with a shifted copy of itself (the same name sliced twice, one axis shifted) and the named ' +
        'difference and image-gradient functions are recognised; a sum of squares of anything else (an input, a parameter, a ' +
        'helper\'s argument, a derivative) is taken to stay away from 0. A gradient is 0 where a function is flat, but nothing in the ' +
        'code says a given one gets there, so a gradient penalty\'s `sqrt(sum(grad ** 2))` is not flagged. A rectifier\'s zeros ' +
        '(`relu`, `clamp(min=0)`) are not counted either: its own derivative selects, and drops the root\'s NaN for every input ' +
        'below the kink (measured with PyTorch 1.13). A root whose operand adds a constant (`s + eps`) is safe and not flagged. ' +
        'A root of a probability itself (`sqrt(softmax(z))`, a Hellinger distance) is not flagged: it is 0 only when a logit is ' +
        'about 100 below another (float32 underflow), which parameters and schedules passed through `softmax`/`sigmoid` never reach; ' +
        'nor is a power whose exponent is not a literal (a focal loss\'s `gamma` parameter: NaN only for 0 < γ < 1). ' +
        'A root inside a `where` is left to AGL017, as are roots of pairwise self-differences and of clamps to 0. A helper ' +
        'whose result is differentiated only by callers in other files (a library\'s `tv_norm`) is not flagged.',
      fixSafety: 'No automatic fix: the epsilon inside the root changes the value slightly, and a norm function that defines the derivative at 0 depends on the framework.',
      references: [
        '[JAX FAQ: gradients contain NaN where using where](https://docs.jax.dev/en/latest/faq.html#gradients-contain-nan-where-using-where)',
        '[optax.safe_norm](https://optax.readthedocs.io/en/latest/api/utilities.html#optax.safe_norm)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const candidates = roots(ctx);
    if (candidates.length === 0) return;
    const zr = new ZeroReach(m, (n) => ctx.text(n));
    let risky: Set<number> | null = null;
    const reported = new Set<number>();
    for (const r of candidates) {
      if (reported.has(r.node.id)) continue;
      const why = zeroOperand(zr, r);
      if (!why) continue;
      if (insideWhere(m, r.node) || insideCustomDerivative(m, r.node)) continue;
      // Differentiated through the root: a derivative or backward whose value passes it, or a forward pass / loss that
      // computes it.
      if (!risky) {
        risky = new Set<number>();
        for (const d of ctx.analysis.events.derivatives) for (const s of tensorOfValue(d.output).risky) risky.add(s);
        for (const b of ctx.analysis.events.backwards) for (const s of tensorOfValue(b.target).risky) risky.add(s);
      }
      const through = risky.has(r.node.id) || trainingRole(m.enclosingFunction(r.node));
      if (!through) continue;
      reported.add(r.node.id);
      const what = r.kind === 'norm' ? 'norm' : 'root';
      ctx.report({
        node: r.node,
        message:
          `\`${ctx.text(r.node).replace(/\s+/g, ' ')}\` is differentiated where its operand is 0: \`${ctx.text(why.node).replace(/\s+/g, ' ')}\` is ` +
          `${WHY[why.kind]}. The ${what}'s derivative is infinite there and the gradient is 0 × inf = NaN. ` +
          (r.kind === 'norm' ? 'Use a safe norm (`sqrt(sum(v ** 2) + eps)`, optax.safe_norm).' : 'Put the epsilon inside the root (`sqrt(s + 1e-12)`).'),
        related: [{ node: why.node, message: `0 here (${why.kind === 'difference' ? 'a difference of neighbours' : why.kind === 'saturated' ? 'a saturating probability' : 'a rectifier'})` }],
      });
    }
  },
};
