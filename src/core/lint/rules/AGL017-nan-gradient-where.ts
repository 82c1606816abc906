/**
 * AGL017 nan-gradient-where: `where(cond, f(x), g)` where `f` has an infinite or NaN derivative on the
 * inputs the condition masks out (sqrt or log at 0, division by zero, exp overflow). The forward pass is
 * fine; the backward pass multiplies the unselected branch's NaN/inf gradient by zero, and NaN × 0 is
 * NaN, so the input's gradient is NaN.
 *
 * Asked of the analysis: `where` sites recorded as masking a risky branch (`TensorFacts.masked`), whose
 * result reaches something that is differentiated (`grad`, `backward`, `jax.grad`, `tape.gradient`).
 */
import { tensorOfValue } from '../analysis/library';
import { TORCH_GRAD_MODES } from '../knowledge/torch';
import type { Rule } from '../rule';
import type { FunctionInfo, SemanticModel } from '../semantic';
import { field, namedChildren, nodesOfType, unparen, type PyNode } from '../tree';
import { insideCustomDerivative } from '../custom-rules';
import { ZeroReach } from '../zero-reach';

export const AGL017: Rule = {
  meta: {
    code: 'AGL017',
    name: 'nan-gradient-where',
    summary: '`where` masks an operation whose gradient is NaN or infinite on the masked-out inputs: the gradient is NaN anyway.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `torch.where`, `jnp.where` and `tf.where` calls whose branches compute an operation with a restricted domain ' +
        '(`sqrt`, `log`, `norm`, a division by something that can be zero, `arctan2`/`atan2` (0/0 at the origin, in all three frameworks), `exp` that can overflow — not the `exp` of a visibly non-positive ' +
        'argument such as a Gaussian `exp(-(r - mu) ** 2 / (2 * s ** 2))`, which is at most 1 —, a product with infinity) ' +
        'on a value the condition tests (also through a mask name: `mask = theta2 > 0` over `sin(theta) / theta` with ' +
        '`theta = sqrt(theta2)`), a division by a literal 0 or by constant data holding a 0 (`x / torch.tensor([0.0, 2.0])`: ' +
        'singular whatever the condition), or whose own output the condition tests for infinite or NaN entries ' +
        '(`torch.where(torch.isinf(e), x, torch.log1p(e))` with `e = x.exp()`, also as the method `x.where(cond, y)`) ' +
        '(or, for a condition built from an identity matrix, `eye(n)`, on anything: the diagonal of ' +
        'a pairwise matrix is where a point meets itself, at distance 0), or an operation whose derivative is NaN or infinite at infinity (`cos`, `sin`, `tan`, ' +
        '`sinh`, `cosh`, a square or a power above 1) on a tensor that holds a literal infinity or NaN (`torch.tensor([0.0, math.inf])`, `torch.tensor([float("nan"), 0.5])`: missing targets written as NaN, ' +
        '`torch.full(shape, float("inf"))`, or arithmetic on one, such as `value - upper` with an infinite bound), and a product of data holding a ' +
        'literal NaN with a differentiated value (a layer with trainable weights applied to rows of `torch.full(shape, float("nan"))`, ' +
        '`k * torch.tensor([1.0, np.nan])`: the weights\' derivative is that data, NaN even where the rows are sliced away afterwards), when the result is differentiated (`torch.autograd.grad`, `.backward()`, `jax.grad`, ' +
        '`tape.gradient`). Also a floor applied after the singular operation as a guard: `jnp.maximum(jnp.linalg.norm(x), eps)`, ' +
        '`jnp.clip(jnp.sqrt(s), eps)`, `tf.maximum(tf.norm(x), eps)`, `tf.clip_by_value(...)` (optax.safe_norm docs: "The gradients ' +
        'of jnp.maximum(jnp.linalg.norm(x), min_norm) at 0.0 is NaN"), and in PyTorch a floor or an epsilon applied to a root after it is taken ' +
        '(`torch.max(torch.sqrt(s), eps)`, `torch.clamp(torch.sqrt(s), min=eps)`, `s.sqrt().clamp_min(eps)`, `x / (torch.sqrt(s) + eps)`, ' +
        'also `s ** 0.5`; in every framework for the epsilon added after a root), with a constant floor or an epsilon of at most 1e-2, ' +
        'when the result is differentiated — not `torch.norm`, whose subgradient at 0 is 0; `nan_to_num` applied to the result of the singular ' +
        'operation (`torch.nan_to_num(q / d)`, `jnp.nan_to_num(k / dist, posinf=0.0)`), which cleans the value but not the ' +
        'derivative — reported in a function even when nothing in the file differentiates it (an energy in a library ' +
        'module is differentiated by its callers): replacing infinities says they occur; the same for a product of a logarithm ' +
        'with the value it is taken of, cleaned after it is computed (`(p * log(p)).nan_to_num()`, `exp(logp) * logp` with ' +
        '`logp = log_softmax(z)` over logits masked with -inf, `where(isnan(y), 0, y)`, `y[isnan(y)] = 0`): where the logarithm ' +
        'is -inf the product\'s derivative with respect to the other factor is -inf, and the cleaning\'s 0 times it is NaN ' +
        '(not `log(p + eps)` or a floored `p`, and not a product with data such as `target * logp`, whose derivative with respect ' +
        'to the logits is finite); and a `where`/`clamp` guard whose replacement value is 0 ' +
        '(`sqrt(clamp(x, min=0))`, `1 / where(mask, d, 0)`), which leaves the operation at its singular point — reported by ' +
        'itself when the guard is the operation\'s own input (`torch.sqrt(var.clamp(min=0))`, `jnp.sqrt(jnp.maximum(s, 0.0))`), ' +
        'as is a clamp onto ±1 under `acos`/`asin` (`torch.acos(torch.clamp(cos, -1.0, 1.0))`, `jnp.arccos(jnp.clip(c, -1, 1))`, ' +
        '`tf.acos(tf.clip_by_value(c, -1.0, 1.0))`): the inputs the guard is for get 0 × inf = NaN; and under `atanh` ' +
        '(`torch.atanh(actions.clamp(-1, 1))`, `jnp.arctanh(jnp.clip(a, -1, 1))`, `tf.math.atanh`: the pre-tanh value of an action at the ' +
        'bound of a tanh-squashed policy), where the value itself is infinite too; and the logarithm of 1 minus the square of a `tanh` output ' +
        '(`torch.log(1 - torch.tanh(u).pow(2))`, `jnp.log(1 - jnp.square(a))` with `a = jnp.tanh(u)`: the change-of-variables correction of a ' +
        'tanh-squashed policy\'s log-density), -inf where tanh rounds to exactly ±1 (float32, |u| ≈ 9 and beyond), reported where the result is ' +
        'differentiated, in any function that returns it, and in quoted lines. ' +
        'Without a derivative in view, such a guard is reported when it proves its singular point is reached: in quoted lines (code outside ' +
        'any function, recording not turned off), a clamp onto the singular point or a floor or epsilon applied after a root of a visible ' +
        'sum of squares or a JAX/TensorFlow norm (`dist = d2.clamp(min=0).sqrt()`, `jnp.maximum(jnp.linalg.norm(d), 1e-8)`); in a function ' +
        'that returns the result, a vector divided by its own length with the epsilon after the root (`v / (sqrt(sum(v ** 2, 1)) + eps)`, ' +
        '`n = tf.sqrt(tf.reduce_sum(tf.square(v))) + 1e-12; v / n`): the epsilon is there for the zero vector, where the gradient is 0/0. ' +
        'Masks written otherwise count as `where`: `y.masked_fill(mask, v)`, a boolean selection read after the operation (`(d ** 0.5)[d > 0]`, ' +
        '`logp[p > 0]` with `logp = log(p)`, `loss_fn(pred, target)[~isnan(target)]` over targets holding NaN), a boolean-index assignment `y[mask] = v` after the ' +
        'singular operation (`y = x / d; y[d == 0] = 0`), and a product with a boolean mask cast to numbers ' +
        '(`(theta2 > eps).float() * f(theta)`, `mask.type_as(x)`, `tf.cast(c, tf.float32)`, `c.astype(x.dtype)`) when the condition ' +
        'tests the singular operand for 0. A `where` whose condition tests for 0 the very value the masked branch divides by or takes ' +
        'a root of, and whose other branch gives the expression\'s limit there (a non-zero constant, `ones_like`, a Taylor polynomial: ' +
        '`where(theta2 > 0, sin(theta) / theta, 0.5 * ones)` in a rotation conversion, a sinc), or a mask product blended with the ' +
        'complementary one (`m * a + (1 - m) * b`), is reported without a derivative in view: such code defines a function meant to ' +
        'be continuous at that point, which its callers differentiate. And a square root, logarithm, division (in JAX and TensorFlow ' +
        'also a norm) of a pairwise difference of a tensor with itself (`x[:, None] - x[None]`, `x.unsqueeze(1) - x.unsqueeze(0)`, ' +
        '`jnp.expand_dims(r, 0) - jnp.expand_dims(r, 1)`, a view against the tensor itself: `x[:, None] - x`, `x.unsqueeze(1) - x`, ' +
        '`torch.reshape(x, (n, 1, d)) - x`; through squares, sums over the coordinates and `einsum(\'ijk,ijk->ij\', d, d)`), whose diagonal is 0, when the result is ' +
        'differentiated — also when the difference is taken in a helper or method the views are passed to (`distance(ri, rj)` called ' +
        'with `r[:, None]` and `r[None]`; `f(feats, feats)` whose body reshapes each argument, `x.view(n, 1, -1)` and `y.view(1, n, -1)`), ' +
        'reported only for the calls that pass one tensor twice, and for the edge vectors `pos[row] - pos[col]` of an edge list with ' +
        'self loops (`row, col = edge_index` after `edge_index, _ = add_self_loops(...)`, `radius_graph(..., loop=True)`), 0 on each ' +
        'self loop, and for two rows of one array that a nested `vmap` pairs (`vmap(vmap(dist, in_axes=(None, 0)), in_axes=(0, None))(x, x)`, ' +
        '`vmap(lambda a: vmap(lambda b: norm(a - b))(x))(x)`; in the mapped function a sum or norm over all entries of `a - b` is over the ' +
        'coordinates of the two points) — without a derivative in view too when a function of the file whose role puts its result on a ' +
        'training path (an `nn.Module`\'s `forward`, `__call__` or Keras\' `call`, a function named as a loss: `mmd_loss`) ' +
        'returns the result, computed in it or in a helper it calls with one tensor twice; a fractional or negative power (`d2 ** 0.5`, `torch.pow(d2, 0.5)`, `d2.pow(-0.5)`, `jnp.power`, `tf.pow`) counts as a root there. ' +
        'Also a square root of `1 - c ** 2` (`1.0 - torch.pow(c, 2)`, `1 - c * c`, through names bound once) where `c` is a cosine: ' +
        '`cosine_similarity`, a product (`linear`, `mm`, `matmul`, `@`, `einsum`) of two normalized operands (`normalize`, a division ' +
        'of a tensor by its own norm, a function of the file returning one), or any value clamped onto exactly [-1, 1] ' +
        '(ArcFace\'s `sine = sqrt(1 - cosine ** 2)`: 0 where an embedding is parallel to its class weight); and a divisor\'s guard ' +
        'that tests the numerator and keeps another value (`n / where(n == 0, 1.0, d)`: the division is by 0 where `d` is), ' +
        'reported in any function. Without a derivative in view, a clamp onto the singular point and a root of `1 - cos ** 2` are ' +
        'reported when the code\'s role puts the result on a training path: the enclosing function returns it and is an ' +
        '`nn.Module`\'s `forward` (`__call__`, Keras\' `call`), a function named as a loss (`gwd_loss`, `compute_loss`), or a ' +
        'Keras loss `(y_true, y_pred)`, with recording on; and a `where` whose condition compares a name with a number and whose ' +
        'unselected branch takes a root, logarithm or division of an expression in that name alone that is visibly singular where ' +
        'it is excluded (`where(x > 1, sqrt(x ** 2 - 1), sqrt(1 - x ** 2))`: evaluated at points on the excluded side; also a branch ' +
        'computed by a call of a function of the file without arguments, `where(x > 1, above(), ...)` with a nested `def above(): ...`) is reported ' +
        'in any function — also when the root or logarithm adds a constant of at least 1e-3 to its operand, which otherwise counts as keeping it ' +
        'away from 0 (`where(trace > 0.0, sqrt(trace + 1.0) * 2, ...)` in a rotation-to-quaternion conversion: at trace = -1, a half turn, the ' +
        'operand is 0), read from the branch as written, through names bound once and the local functions it calls. ' +
        'And a root, logarithm, division (in JAX and TensorFlow also a norm) differentiated at zeros the code makes: a derivative ' +
        '(`jax.grad(f)(...)`, `.backward()`, `tape.gradient`) taken where the operand depends on the differentiated input and is, ' +
        'entry for entry, data written as zeros — `jnp.zeros(n)`, `torch.zeros(n)`, `tf.zeros(n)` (`jnp.linalg.norm(a * x)` at ' +
        '`x = jnp.zeros(2)`, a norm regulariser of weights initialised by `jnp.zeros`, `jax.grad(f)(jnp.zeros(3))`, a leaf ' +
        '`torch.zeros(3, requires_grad=True)`), a product with a literal 0 (`x * 0`), a sum or difference of two all-zero values, a ' +
        'distance loss (`mse_loss`, `nn.MSELoss()`, `l1_loss`) between two all-zero values (an RMSE `sqrt(mse_loss(x * 0, zeros))`), ' +
        'or a table written with a 0 entry, `jnp.array([0.4, 0.5, 0.0])`, `jnp.array((0, 1)) * x`, `torch.tensor([0.0, 4.0])`, ' +
        '`torch.tensor(0.)`, `tf.constant([0.0, 1.0])`, gathered by labels ' +
        '(for elementwise operations only: a norm of a vector with one zero coordinate is differentiable) — through products with ' +
        'anything, squares and other zero-keeping elementwise functions, sums and norms (of all-zero data), and indexing (not a ' +
        'boolean selection, `x[x > 0]`, which is written to leave entries out); a mask applied after the operation ' +
        '(`(delta ** 0.5)[delta > 0]`, an index assignment of the result into another tensor) does not mask its derivative.',
      whyIsThisBad:
        '`where` selects values, but both branches are computed, and the backward pass sends the incoming gradient to both: ' +
        'the selected branch gets it, the other gets zero. Where the unselected branch is `sqrt(x)` at `x = 0` (or `log(0)`, ' +
        '`1/0`, `exp(1000)`), its local derivative is infinite or NaN, and `0 × inf = NaN`. The forward result is right; the ' +
        'gradient of the input is NaN, and one NaN in a batch poisons the weights after the next optimizer step. This is a ' +
        'frequent question for PyTorch, JAX and TensorFlow alike (it is documented in JAX\'s FAQ, "gradients contain NaN where ' +
        'using where").',
      example: [
        '```python',
        'y = torch.where(x > 0, torch.sqrt(x), torch.zeros_like(x))',
        'y.sum().backward()          # x.grad is nan where x == 0',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        '# the double-where idiom: make the risky operation\'s input safe where it is not selected',
        'safe_x = torch.where(x > 0, x, torch.ones_like(x))',
        'y = torch.where(x > 0, torch.sqrt(safe_x), torch.zeros_like(x))',
        '# or clamp: torch.sqrt(torch.clamp(x, min=1e-12))',
        '```',
      ].join('\n'),
      knownProblems:
        'A guard inside a function with its own derivative rule (`@jax.custom_jvp`, `@jax.custom_vjp`, `@tf.custom_gradient`) is not ' +
        'reported: autodiff uses the rule, never the body (numpyro\'s `log1mexp`); a rule set by `f = jax.custom_jvp(f)` is not seen. ' +
        'The condition must mention a variable the risky operation reads (that is the usual guard), test the risky operation\'s own ' +
        'output for infinite or NaN entries (`e = x.exp(); where(isinf(e), x, log1p(e))`: the operation already ran on the ' +
        'entries it is meant to avoid), or be built from `eye`/`identity`; ' +
        'another mask built elsewhere is not connected to the operation and is not flagged. A `where` guard in a function that ' +
        'nothing in the file differentiates is reported only when its other branch gives a limit value (above): with 0, an input ' +
        'or a parameter there (`where(n != 0, x / n, 0)`) the same guard is written in code that is never differentiated (a ' +
        'similarity of stored activations, a scale update, a backward hook), so it needs a derivative in view. A guard whose ' +
        'condition compares with another constant is connected only by the names it shares, except for an operand made of the ' +
        'tested name and numbers alone (`x ** 2 - 1`), whose sign is evaluated; a guard that tests one value and keeps another ' +
        '(`d / where(a == 0, 1, b)`) is taken as safe unless the tested value is the numerator and neither value is computed ' +
        'from the other. The relaxed gate without a derivative assumes that a module\'s forward pass and a loss are ' +
        'differentiated by their callers (not an energy: a potential of fixed nuclei is differentiated with respect to other parameters, ' +
        'ferminet\'s `potential_energy` over `r_aa` of the atoms), and that a clamp to 0 or to ±1 says its bound is reached; a library helper that ' +
        'merely returns a tensor (a distance function, a metric) is not reported without a derivative in view, so the ' +
        'same guard in vector-quantize\'s `cdist` helper or Keras\' `divide_no_nan` is missed (a defensive guard in a library helper, a metric\'s ' +
        'clamp before `acos`, says too little about whether anything differentiates it; only the normalisation of a vector by its own length ' +
        'is reported there, and not with a norm call, which optimizers\' update transforms use). Quoted lines without imports whose values ' +
        'all come from names defined elsewhere (`x.mm(w).clamp(-1, 1).acos()` alone) are not known to be tensors, and a floor after a ' +
        'norm of such a name (`jnp.maximum(jnp.linalg.norm(x), min_norm)` alone) is not seen to depend on an input: both are missed. A cosine is recognised by how it is ' +
        'computed in the file, not from a caller that normalizes the inputs. Mask products count only with a condition that tests the operand for 0 (not ' +
        'a cutoff `r < rc`). Pairwise self-differences are recognised from broadcast views (indexing with `None`, `unsqueeze`, ' +
        '`expand_dims`, a `view`/`reshape` with a literal 1) of one name or one value, through the file\'s own functions; not when ' +
        'the pairs come from a helper of a library (jax-md\'s `displacement` and `map_product`), nor pairs mapped along another axis than the first, nor when self loops depend on a ' +
        'flag (`loop=self.loop`), nor for PyTorch\'s `norm` and `cdist` (their subgradient at 0 is 0: only a second derivative with respect to the ' +
        'points themselves (a Hessian, a Hessian-vector product) is NaN there; the gradient of a force loss with respect to parameters stayed finite when measured). A root whose operand has a ' +
        'gradient hook (`d2.register_hook(zero_diagonal)`) is not reported: the hook replaces the gradient that reaches it. A sum ' +
        'over all entries (no axis) or over the points is not taken to be 0. Floors (`maximum`, `clip`) count for JAX ' +
        'and TensorFlow only when their operand is itself the norm, square root, logarithm or division and the floor does not ' +
        'depend on the input (PyTorch\'s `torch.norm` has a subgradient of 0 at 0); `nan_to_num` counts (all frameworks) only when ' +
        'its operand is itself such an operation on the input, or a product of a logarithm (`log`, `log_softmax`, `log_sigmoid`) with a value ' +
        'the code computes from a name the logarithm\'s operand is computed from too (`p * log(p)`, `exp(logp) * logp`; not `softmax(z) * log_softmax(w)` ' +
        'of two inputs that a caller makes the same). Inputs known to ' +
        'be safe by construction (`torch.sigmoid(z)` inside a `log`) are not recognised: `# noqa: AGL017` for those. Zero data is followed ' +
        'only on paths where the value is 0 on every path (a loop accumulator started at `jnp.zeros` and a `.at[].set` update are not ' +
        'zero after them), only from `jnp.zeros`/`torch.zeros`/`tf.zeros`, products with a literal 0 and literal `jnp.array`/`torch.tensor`/`tf.constant` tables (not `zeros_like`, ' +
        'nor a zero-initialised `nn.Parameter` or `tf.Variable`, which an initializer or a loaded state usually overwrites), and only with the derivative in view; a literal integer index into a table is taken to miss its zeros. The operation is seen when its argument is not already ' +
        'the output of a `where`/`clamp`/`maximum` or `x + eps` (`eps` a positive literal, a name bound to one, a parameter ' +
        'whose default is one, or `finfo(...).eps`). A power (`jnp.power(x, p)`, `tf.pow(x, p)`, `x ** p`) counts ' +
        'only when its exponent is not visibly 0 or at least 1: p x^(p-1) is finite for those. Infinities are followed only from ' +
        'the literal data of `torch.tensor`/`torch.as_tensor`/`torch.full`/`torch.full_like` (not from a mask fill or a ' +
        'division by zero), through arithmetic and calls of the file\'s functions; a `where`, `clamp`, `minimum` or ' +
        '`nan_to_num` result is taken to hold none.',
      fixSafety: 'No automatic fix: the safe value for the masked-out inputs (1 for `log` and `sqrt`, any non-zero for a division) depends on the operation.',
      references: [
        '[JAX FAQ: gradients contain NaN where using where](https://docs.jax.dev/en/latest/faq.html#gradients-contain-nan-where-using-where)',
        '[torch.where](https://pytorch.org/docs/stable/generated/torch.where.html)',
      ],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    const reported = new Set<number>();
    const differentiated: { node: PyNode; masked: readonly number[]; risky: readonly number[] }[] = [
      ...a.events.derivatives.map((d) => ({ node: d.node, masked: tensorOfValue(d.output).masked, risky: tensorOfValue(d.output).risky })),
      ...a.events.backwards.map((b) => ({ node: b.node, masked: tensorOfValue(b.target).masked, risky: tensorOfValue(b.target).risky })),
    ];
    // The sites a diagonal record is made of in one calling context (the differences or broadcast views a caller passed):
    // markers carried by the `risky` facet, not operations to show.
    const markers = new Set<number>();
    for (const w of a.events.wheres) if (w.onto === 'diagonal') for (const r of w.risky) if (r !== w.node.id) markers.add(r);
    for (const w of a.events.wheres) {
      if (reported.has(w.node.id) || insideCustomDerivative(ctx.model, w.node)) continue;
      // A squared JAX/TensorFlow norm of the difference is AGL022's (`square(norm(d))`): one report for one line.
      if (w.onto === 'diagonal' && squaredNorm(ctx, w.node)) continue;
      const by = w.onto ? differentiated.find((d) => w.risky.some((r) => d.risky.includes(r))) : differentiated.find((d) => d.masked.includes(w.node.id));
      // Without a derivative in view: `nan_to_num` after a singular operation says its infinities occur (`strict`),
      // and they are the mistake whoever differentiates the function (library code is differentiated by its callers).
      const alone = !by && ((!w.onto && w.strict === true) || w.onto === 'other') && ctx.model.enclosingFunction(w.node) !== null;
      // Without a derivative in view, a guard whose result the enclosing function returns: the function computes a
      // tensor of the framework from its inputs, and the guard is there because the singular point is reached.
      // Guards that map what they exclude onto the singular point (a clamp to 0 under a root, to ±1 under acos) and roots of
      // `1 - cos ** 2` only: a plain `where` is connected to the operation by the names it shares, which says too little
      // without a derivative in view (a condition on the numerator, a branch selected at the singular point).
      // A root or norm of an array made all zero in the code (`norm(a * x)` at `x = jnp.zeros(2)`): only where a derivative
      // is taken at those zeros, in view.
      const zeroData = w.onto === 'diagonal' && allZeroData(ctx, w);
      const returned =
        !by &&
        !alone &&
        !zeroData &&
        (w.onto === 'diagonal' ? returnsDiagonal(ctx, w) : (w.onto === 'zero' || w.onto === 'unit' || w.onto === 'cosine') && returnsGuarded(ctx, w, a.events.wheres, logOfTanhComplement(ctx, w)));
      // A `where` whose condition compares a name with a constant, and whose unselected branch takes a root, logarithm or
      // division of an expression in that name alone that is visibly singular on the inputs the condition leaves out
      // (`where(x > 1, sqrt(x ** 2 - 1), ...)` at x <= 1): the inputs on both sides are what the function is written for.
      const proven = !by && !alone && !returned && !w.onto && ctx.model.enclosingFunction(w.node) !== null && singularWhereExcluded(ctx, w.node, w.risky);
      // Without a derivative in view, a guard that proves its singular point is reached: a clamp onto it (`clamp(s, min=0)`
      // under a root, `clamp(c, -1, 1)` under `acos`), or a floor or epsilon applied after a root of a visible sum of squares
      // (`v / (sqrt(sum(v ** 2)) + eps)`, `maximum(norm(x), min_norm)`): the guard is written for the inputs where the
      // operation is singular. Reported in a quoted fragment (no function) or in a function that returns the result.
      const proves = !by && !alone && !returned && !proven && !zeroData && guardProves(ctx, w, a.events.wheres);
      if (!by && !alone && !returned && !proven && !proves) continue;
      reported.add(w.node.id);
      if (w.onto) {
        // A diagonal record is the operation itself (its `risky` are the differences it is 0 at, or the operation).
        const op = w.onto === 'diagonal' || w.onto === 'cosine' ? w.node : ctx.tree.nodes[w.risky[0]!];
        const opFn = op?.children.find((c) => c.field === 'function');
        // `x ** 0.5`, `q / d`: the operator with its right operand.
        const opOp = op?.type === 'binary_operator' ? op.children.find((c) => c.field === 'operator') : undefined;
        const opRight = op?.type === 'binary_operator' ? op.children.find((c) => c.field === 'right') : undefined;
        // A method on a long receiver (`torch.einsum(...).sqrt`) is named by its method (`.sqrt()`).
        const opAttr = opFn?.type === 'attribute' ? opFn.children.find((c) => c.field === 'attribute') : undefined;
        const opName = opFn
          ? opAttr && ctx.text(opFn).length > 30 ? `.${ctx.text(opAttr)}()` : ctx.text(opFn)
          : opOp && opRight ? `${ctx.text(opOp)} ${ctx.text(opRight)}` : 'the operation';
        const guard = ctx.text(w.node).replace(/\s+/g, ' ').slice(0, 60);
        ctx.report({
          node: w.node,
          message:
            zeroData
              ? `\`${guard}\` is differentiated where its input is 0 (in the entries that come from \`${zeroDataText(ctx, w)}\`): ` +
                `the derivative of \`${opName}\` is infinite or 0/0 there, so the gradient is NaN although the value is finite. Evaluate ` +
                'the derivative away from 0, or make the operation safe at 0 (`sqrt(sum(v ** 2) + eps)`, the double-where idiom).'
              : w.onto === 'diagonal'
              ? `\`${guard}\` is applied to a difference of a tensor with itself: on the diagonal of the pairwise matrix (each point ` +
                `with itself), or on the self loops of an edge list, its input is 0, where the derivative of \`${opName}\` is infinite, and ` +
                'the gradient is NaN there even if those entries are masked afterwards. Keep them away from 0 before the operation ' +
                '(`where(eye, 1.0, d2)` inside the root, then select), or add a small positive constant.'
              : w.onto === 'nan'
              ? `\`${guard}\` multiplies data holding a literal NaN by a differentiated value (trainable weights, a leaf): the ` +
                'derivative with respect to that value is the data, NaN at those entries, so its gradient is NaN even where the NaN ' +
                'entries are sliced or masked away afterwards (their cotangent 0 times NaN is NaN). Remove or replace the NaN entries ' +
                'before the operation (`x[~torch.isnan(x).any(1)]`, `torch.nan_to_num(x)`).'
              : w.onto === 'other'
              ? `\`${guard}\` guards the divisor of \`${ctx.text(op!).replace(/\s+/g, ' ').slice(0, 60)}\` but tests the numerator, not the ` +
                'value it keeps: where the kept value is 0 and the numerator is not, the division is still by 0 (an infinite value, and ' +
                'a NaN gradient even where a later `where` discards it). Test the divisor itself: `where(d == 0, 1.0, d)`.'
              : w.onto === 'cosine' && /(?:^|\.)log(?:2|10)?$/.test(opName)
              ? `\`${guard}\` is the logarithm of 1 minus the square of a \`tanh\` output, which is exactly ±1 in float32 from ` +
                '|x| ≈ 9 on: there its input is 0, the value is ' +
                '-inf and the gradient infinite or NaN (a tanh-squashed policy\'s log-density correction at a saturated action). Add a ' +
                'small constant inside, `log(1 - t ** 2 + 1e-6)`, or use the stable form `2 * (log(2) - u - softplus(-2 * u))`.'
              : w.onto === 'cosine'
              ? `\`${guard}\` is the square root of 1 minus the square of a cosine (of normalized vectors, or clamped to [-1, 1]): ` +
                'where the vectors are parallel (|cos| = 1, what a margin or alignment loss drives them to, and rounding reaches in float32) its input is 0, ' +
                'where the derivative of the root is infinite, and the gradient is NaN (a cosine that rounding pushes past 1 makes ' +
                'the value NaN too). Keep the input inside the domain: `sqrt((1 - c ** 2).clamp(min=1e-7))`, or clamp the cosine ' +
                'to `[-1 + 1e-7, 1 - 1e-7]` first.'
              : w.onto === 'unit' && /(?:^|\.)a(?:rc)?tanh(?:\(\))?$/.test(opName)
              ? `\`${guard}\` lets its values reach ±1, where \`${opName}\` is infinite and so is its derivative (the pre-tanh value ` +
                'of an action at the bound of a tanh-squashed distribution): the log-probability is infinite and the gradient NaN. ' +
                'Clamp strictly inside the domain: `clamp(a, -1 + 1e-6, 1 - 1e-6)`.'
              : w.onto === 'unit'
              ? `\`${guard}\` puts the values it excludes at ±1, where the derivative of \`${opName}\` is infinite: for those inputs ` +
                `the clamp's derivative 0 meets it, and 0 × inf = NaN reaches the gradient — exactly in the cases the clamp is for ` +
                '(a cosine that rounding pushed past 1). Clamp strictly inside the domain: `clamp(c, -1 + 1e-7, 1 - 1e-7)`.'
              : `\`${guard}\` puts the values it excludes at 0, where the derivative of \`${opName}\` is infinite: for those inputs ` +
                'the guard\'s derivative 0 meets it, and 0 × inf = NaN reaches the gradient (and at exactly 0 it is infinite) — ' +
                'exactly in the cases the guard is for. Floor at a small positive value instead: `clamp(x, min=1e-12)`.',
          related: [
            ...(op && w.onto !== 'diagonal' && w.onto !== 'cosine' && w.onto !== 'nan' ? [{ node: op, message: w.onto === 'other' ? 'the division' : 'its derivative is infinite at the guard\'s bound' }] : []),
            ...(by ? [{ node: by.node, message: 'the result is differentiated here' }] : []),
          ],
        });
        continue;
      }
      const starts = new Set<number>();
      // One related location per place (sites recorded in several calling contexts can start at the same offset).
      const risky = w.risky
        .filter((id) => !markers.has(id))
        .map((id) => ctx.tree.nodes[id])
        .filter((n): n is PyNode => !!n && !starts.has(n.start) && (starts.add(n.start), true));
      const first = risky[0];
      const what = first ? brief(ctx, first) : 'an operation with a restricted domain';
      const fn = w.node.children.find((c) => c.field === 'function');
      // A method on a computed receiver (`(v * v).sum().sqrt().clamp_min`) is named by its method (`.clamp_min()`).
      const attr = fn?.type === 'attribute' && ctx.model.qualifiedName(fn) === null ? fn.children.find((c) => c.field === 'attribute') : undefined;
      const name = fn ? ctx.text(fn) : 'where';
      const shown = attr && !/^[A-Za-z_][\w.]*$/.test(name) ? `.${ctx.text(attr)}()` : name;
      const atInf = first !== undefined && w.atInf.includes(first.id);
      const floor = /(?:^|\.)(?:max|maximum|fmax|clip|clip_by_value|clamp|clamp_min)$/.test(name);
      // `sqrt(s) + eps`: an epsilon added after the root.
      const shifted = w.node.type === 'binary_operator' && ctx.text(field(w.node, 'operator') ?? w.node) === '+';
      const cleaned = /(?:^|\.)nan_to_num$/.test(name);
      // `mask.float() * branch`: a mask applied by multiplication.
      const product = w.node.type === 'binary_operator';
      // `y[mask] = 0`: a mask applied by an index assignment.
      const stored = w.node.type === 'subscript' && w.node.parent?.type === 'assignment' && field(w.node.parent, 'left') === w.node;
      // `y[mask]` read after the operation: a boolean selection.
      const selected = w.node.type === 'subscript' && !stored;
      // No derivative through it was followed here (another method or file may take one): say so without claiming none exists.
      const callers = by ? '' : ' This holds for every caller that differentiates through it.';
      ctx.report({
        node: w.node,
        message: (cleaned
          ? `\`${/^[A-Za-z_][\w.]*$/.test(name) ? name : '.nan_to_num()'}\` replaces the infinite or NaN values of \`${what}\` after it is computed: where it does, the operation's ` +
            'derivative is infinite or NaN too, and the replacement multiplies it by 0: 0 × inf = NaN reaches the gradient although ' +
            'the value is finite. Make the input safe before the operation (`where(d == 0, 1.0, d)` before dividing by `d`, the ' +
            'double-where idiom), or clamp it.'
          : shifted
          ? `\`+ ${ctx.text(epsilonOf(w.node, first) ?? w.node).replace(/\s+/g, ' ').slice(0, 30)}\` adds the epsilon after the root \`${what}\` is taken: it keeps the value away from 0, ` +
            'not the derivative, which is infinite where the root\'s operand is 0 (the case the epsilon is for); the gradient there is ' +
            'infinite, or NaN where what flows back is 0 (a zero vector divided by its own length). Put the epsilon inside the root: ' +
            '`sqrt(s + eps)`.'
          : floor
          ? `\`${shown}\` floors \`${what}\` after it is computed: where the floor is selected (the value is 0 there) the ` +
            'derivative of the operation is infinite or NaN, and the floor multiplies it by 0: 0 × inf = NaN reaches the gradient. ' +
            'Apply the floor before the singular operation (`sqrt(maximum(sum(x ** 2), eps))`), or use the double-where idiom.'
          : selected
          ? `\`${ctx.text(w.node).replace(/\s+/g, ' ').slice(0, 60)}\` selects entries of \`${what}\` after it is computed: the entries it leaves out ` +
            (atInf
              ? 'hold a literal infinity or NaN, where the operation\'s derivative is NaN or infinite, and their cotangent 0 times it is NaN in the gradient although the selected value is finite. Select first, then compute (`f(pred[mask], target[mask])`).'
              : 'are at the operation\'s singular point (the mask tests for it), where its derivative is infinite or NaN, and their cotangent 0 times it is NaN in the gradient although the selected value is finite. Select first, then compute (`sqrt(d[d > 0])`), or make the input safe (the double-where idiom).')
          : stored
          ? `\`${ctx.text(w.node).replace(/\s+/g, ' ').slice(0, 60)} = ...\` overwrites entries of \`${what}\` after it is computed: the assignment sends ` +
            'them a gradient of 0, but the operation\'s derivative there is infinite or NaN (the mask picks exactly the entries at its singular ' +
            'point), and 0 × inf = NaN reaches the gradient. Make the input safe before the operation (`where(d == 0, 1.0, d)` ' +
            'before dividing by `d`), then select.'
          : product
          ? `\`${ctx.text(w.node).replace(/\s+/g, ' ').slice(0, 60)}\` masks \`${what}\` by multiplying it with a 0/1 mask: where the mask is 0 the ` +
            'operation\'s derivative is still infinite or NaN (the condition leaves those inputs out because they are at its singular ' +
            'point), and 0 × inf = NaN reaches the gradient. Make the input safe first (apply the operation to ' +
            '`where(cond, x, safe_value)`), then select with `where`.'
          : atInf
          ? `\`${name}\` masks \`${what}\`, computed on a tensor that holds a literal infinity or NaN: the derivative there is NaN or ` +
            'infinite, both branches are differentiated, and 0 × inf = NaN reaches the gradient although the result is finite. ' +
            'Replace the infinite entries before the operation (`where(isinf(x), 0.0, x)` or a large finite bound), or clamp them.'
          : `\`${name}\` masks \`${what}\`, whose derivative is infinite or NaN on the inputs the condition leaves out: both branches ` +
            'are differentiated, and 0 × inf = NaN reaches the gradient. Make the input safe first (the double-where idiom: ' +
            'apply the operation to `where(cond, x, safe_value)`), or clamp it.') + callers,
        related: [
          ...risky.map((n) => ({
            node: n,
            message: w.atInf.includes(n.id)
              ? 'this derivative is NaN or infinite at the non-finite entries'
              : cleaned
                ? 'this derivative is infinite or NaN where the value is replaced'
                : 'this derivative is infinite or NaN where it is not selected',
          })),
          ...(by ? [{ node: by.node, message: 'the result is differentiated here' }] : []),
        ],
      });
    }
    // A `where` of a framework whose branch takes a root or logarithm of the tested name shifted by a constant
    // (`sqrt(trace + 1.0)` under `where(trace > 0.0, ...)`): the analysis takes `x + c` for a value kept away from 0 (an
    // epsilon) and records no risky site for it, but on the inputs the condition leaves out (`trace <= 0`) the operand
    // reaches 0 and below. Read from the branches as written (and the bodies of local functions they call); an
    // epsilon-sized constant (below 1e-3) stays a guard.
    for (const node of nodesOfType(ctx.tree, 'call')) {
      if (reported.has(node.id)) continue;
      const callee = field(node, 'function');
      const q = callee ? ctx.model.qualifiedName(callee) : null;
      if (!q || !/^(?:torch|jax\.numpy|tensorflow)\.where$/.test(q)) continue;
      if (!ctx.model.enclosingFunction(node) || insideCustomDerivative(ctx.model, node)) continue;
      const branchOf = shiftedRoots(ctx, node);
      const sites = [...branchOf.keys()].map((id) => ctx.tree.nodes[id]!);
      if (sites.length === 0 || !singularWhereExcluded(ctx, node, [...branchOf.keys()], branchOf)) continue;
      reported.add(node.id);
      const first = sites[0]!;
      ctx.report({
        node,
        message:
          `\`${ctx.text(callee!)}\` masks \`${ctx.text(first).replace(/\s+/g, ' ').slice(0, 60)}\`, whose operand is 0 or negative on inputs the ` +
          'condition leaves out (the constant added does not keep it positive there): both branches are differentiated, and the ' +
          'derivative there (infinite or NaN) times 0 is NaN in the gradient. Make the input safe first (the double-where idiom: ' +
          'apply the operation to `where(cond, x, safe_value)`), or clamp it.',
        related: sites.map((n) => ({ node: n, message: 'this derivative is infinite or NaN where it is not selected' })),
      });
    }
  },
};

/**
 * Roots and logarithms in the branches of `where(cond, a, b)` (and in the bodies of functions of the file the branches
 * call without arguments) whose operand adds a literal of at least 1e-3 to something (`sqrt(trace + 1.0)`): the sites
 * the analysis takes to be guarded by the constant.
 */
function shiftedRoots(ctx: Parameters<Rule['check']>[0], node: PyNode): Map<number, 0 | 1 | 2> {
  const args = namedChildren(field(node, 'arguments') ?? node).filter((c) => c.type !== 'keyword_argument');
  const roots = new Map<number, 0 | 1 | 2>();
  if (args.length !== 3) return roots;
  for (const [i, branch] of [args[1]!, args[2]!].entries()) {
    const scopes: PyNode[] = [branch];
    const b = unparen(branch);
    if (b.type === 'call' && namedChildren(field(b, 'arguments') ?? b).length === 0) {
      const fn = ctx.model.functions.find((f) => f.name !== '<lambda>' && f.params.length === 0 && f.callSites.some((c) => c.node === b));
      if (fn) scopes.push(fn.node);
    }
    for (const scope of scopes) {
      const stack: [PyNode, number][] = [[scope, 0]];
      const seen = new Set<number>();
      while (stack.length > 0) {
        const [x, depth] = stack.pop()!;
        if (seen.has(x.id)) continue;
        seen.add(x.id);
        // `zeros_like(w)` reads the shape of `w`, not its value.
        const like = x.type === 'call' && /(?:^|\.)(?:zeros_like|ones_like|full_like|empty_like)$/.test(ctx.text(field(x, 'function') ?? x));
        if (!like) for (const c of x.children) stack.push([c, depth]);
        // A name bound once to an expression (`sq = torch.sqrt(trace + 1.0) * 2.0; where(trace > 0, sq, ...)`).
        if (x.type === 'identifier' && depth < 3 && ctx.model.isUse(x)) {
          const bs = ctx.model.reachingBindings(x);
          if (bs.length === 1 && bs[0]!.kind === 'assign' && bs[0]!.path.length === 0 && bs[0]!.value) stack.push([bs[0]!.value, depth + 1]);
        }
        if (x.type !== 'call') continue;
        const fn = field(x, 'function');
        const q = fn ? ctx.model.qualifiedName(fn) : null;
        if (!q || !/^(?:torch|jax\.numpy|tensorflow(?:\.math)?)\.(?:sqrt|log)$/.test(q)) continue;
        const operand = unparen(namedChildren(field(x, 'arguments') ?? x)[0] ?? x);
        if (operand.type !== 'binary_operator' || ctx.text(field(operand, 'operator') ?? operand) !== '+') continue;
        const right = field(operand, 'right');
        const c = right && (right.type === 'float' || right.type === 'integer') ? Number(ctx.text(right)) : NaN;
        // A site reached from both branches is in neither.
        if (c >= 1e-3) roots.set(x.id, roots.has(x.id) && roots.get(x.id) !== i + 1 ? 0 : i === 0 ? 1 : 2);
      }
    }
  }
  return roots;
}

/**
 * Whether the function enclosing the guard `w` returns a value the guard's result reaches (its `masked` facet for a
 * `where`/mask/floor, its `risky` facet for a clamp onto the singular point): a function of a differentiable framework
 * that returns a tensor computed through the guard is differentiated by its callers wherever the file does not. Not a
 * test function, a constructor, a function (or the block of it) where recording is off, nor a nested function's guard
 * returned by the nested function alone.
 */
function returnsGuarded(
  ctx: Parameters<Rule['check']>[0],
  w: { node: PyNode; risky: readonly number[]; onto?: string },
  wheres: readonly { node: PyNode; risky: readonly number[]; onto?: string }[],
  anyRole = false,
): boolean {
  const m = ctx.model;
  // Not `atan2`, singular only where both its arguments are 0, which a condition on one of them does not single out
  // (`where(c < 0, atan2(-s, -c), atan2(s, c))` chooses between two forms equally singular there); not an operation
  // on a boolean selection (`sqrt(x[x > 1] ** 2 - 1)`), computed only on the entries the selection keeps.
  const singular = w.risky.some((id) => {
    const op = ctx.tree.nodes[id];
    if (!op) return false;
    const callee = op.type === 'call' ? field(op, 'function') : null;
    if (callee && /(?:^|\.)(?:atan2|arctan2)$/.test(ctx.text(callee))) return false;
    return !selects(op);
  });
  if (!singular) return false;
  const fn = m.enclosingFunction(w.node);
  if (!fn || fn.name === '<lambda>' || (!anyRole && !trainingRole(ctx, fn)) || /^test/.test(fn.name)) return false;
  if (recordingOff(m, fn, w.node)) return false;
  // A `where` selecting from the operation's result carries it on as masked (its `masked` facet), not as risky.
  const selecting = new Set(w.onto ? wheres.filter((x) => !x.onto && x.risky.some((id) => w.risky.includes(id))).map((x) => x.node.id) : []);
  for (const r of fn.returns) {
    const v = ctx.analysis.values.get(unparen(r).id) ?? ctx.analysis.values.get(r.id);
    if (!v) continue;
    const t = tensorOfValue(v);
    if (!w.onto ? t.masked.includes(w.node.id) : w.risky.some((id) => t.risky.includes(id)) || t.masked.some((id) => selecting.has(id))) return true;
  }
  return false;
}

/**
 * A `cosine` record that is a logarithm (`log(1 - tanh(u) ** 2)`, the tanh-squash correction of a log-density): -inf
 * wherever tanh saturates, a value no caller wants, so reported in any function that returns it.
 */
function logOfTanhComplement(ctx: Parameters<Rule['check']>[0], w: { node: PyNode; onto?: string }): boolean {
  if (w.onto !== 'cosine' || w.node.type !== 'call') return false;
  const fn = field(w.node, 'function');
  return !!fn && /(?:^|\.)log(?:2|10)?$/.test(ctx.text(fn));
}

/**
 * A guard that proves its operation's singular point is reached, reported without a derivative in view (a quoted
 * fragment, a helper): a clamp onto the singular point (`clamp(s, min=0)` under a root, `clamp(c, -1, 1)` under
 * `acos`), or a floor or epsilon applied after a root of a visible sum of squares or after a JAX/TensorFlow norm
 * (`v / (sqrt(sum(v ** 2)) + eps)`, `maximum(norm(x), min_norm)`): the guard is written for the inputs where the
 * operation is singular, so the derivative there is infinite in whatever differentiates it. Not a root of a gradient
 * (gradient norms for clipping and penalties, which are not differentiated or are rarely 0), not under a grad mode that
 * turns recording off, not in a test; in a function, only when the function returns the guarded value.
 */
function guardProves(
  ctx: Parameters<Rule['check']>[0],
  w: { node: PyNode; risky: readonly number[]; onto?: string },
  wheres: readonly { node: PyNode; risky: readonly number[]; onto?: string }[],
): boolean {
  const m = ctx.model;
  if (w.onto !== undefined && w.onto !== 'zero' && w.onto !== 'unit' && !logOfTanhComplement(ctx, w)) return false;
  const zr = new ZeroReach(m, (n) => ctx.text(n));
  if (!w.onto) {
    const fn = w.node.type === 'call' ? field(w.node, 'function') : null;
    const floor = !!fn && /(?:^|\.)(?:max|maximum|fmax|clip|clip_by_value|clamp|clamp_min)$/.test(ctx.text(fn));
    const shifted = w.node.type === 'binary_operator' && ctx.text(field(w.node, 'operator') ?? w.node) === '+';
    if (!floor && !shifted) return false;
    if (!w.risky.every((id) => squaresRoot(ctx, zr, ctx.tree.nodes[id]))) return false;
  }
  const fn = m.enclosingFunction(w.node);
  // Quoted lines: no function around them, recording not turned off.
  if (!fn) return !moduleRecordingOff(m, w.node);
  // In a function that nothing in view differentiates, a defensive guard (a degenerate line, a metric's clamp) says
  // too little; only a vector divided by its own root-of-squares length with the epsilon after the root (`v / (sqrt(sum(v
  // ** 2)) + eps)`): a zero vector is what the epsilon is for, and there the gradient is 0/0.
  if (w.onto === 'cosine') return returnsGuarded(ctx, w, wheres, true);
  if (w.onto || !normalizesByOwnLength(ctx, zr, w)) return false;
  return returnsGuarded(ctx, w, wheres, true);
}

/**
 * The guard `w` (an epsilon or floor after a root) is the divisor of `v / guard` (directly or through a name bound
 * once), where `v` is one of the squared terms under the root: a vector divided by its own length. Roots written
 * out (`sqrt`, `** 0.5`, `pow(0.5)`), not norm calls.
 */
function normalizesByOwnLength(ctx: Parameters<Rule['check']>[0], zr: ZeroReach, w: { node: PyNode; risky: readonly number[] }): boolean {
  const m = ctx.model;
  const terms = new Set<string>();
  for (const id of w.risky) {
    const op = ctx.tree.nodes[id];
    if (!op) return false;
    const c = op.type === 'call' ? m.call(op) : null;
    const operand = op.type === 'binary_operator' ? field(op, 'left') : c ? (c.qname ? c.positional[0] : c.receiver) : null;
    const ts = operand ? zr.squaredTerms(operand) : null;
    if (!ts) return false;
    for (const t of ts) terms.add(ctx.text(unparen(t)).replace(/\s+/g, ''));
  }
  const divisor = (d: PyNode): boolean => {
    const u = unparen(d);
    if (u === w.node) return true;
    if (u.type !== 'identifier' || !m.isUse(u)) return false;
    const bs = m.reachingBindings(u);
    return bs.length === 1 && bs[0]!.kind === 'assign' && !!bs[0]!.value && unparen(bs[0]!.value) === w.node;
  };
  const scope = m.enclosingFunction(w.node)?.node ?? ctx.tree.root;
  const stack: PyNode[] = [scope];
  while (stack.length > 0) {
    const x = stack.pop()!;
    stack.push(...x.children);
    const op = x.type === 'binary_operator' || x.type === 'augmented_assignment' ? field(x, 'operator') : null;
    if (!op || !/^\/=?$/.test(ctx.text(op))) continue;
    const l = field(x, 'left');
    const r = field(x, 'right');
    if (l && r && divisor(r) && terms.has(ctx.text(unparen(l)).replace(/\s+/g, ''))) return true;
  }
  return false;
}

/**
 * `op` is a root of a visible sum of squares (`sqrt(sum(v ** 2, dim))`, `(a ** 2 + b ** 2) ** 0.5`, `s.sqrt()` with
 * `s` bound to one) or a JAX/TensorFlow Euclidean norm (`jnp.linalg.norm(x)`, `tf.norm(x)`), of no gradient.
 */
function squaresRoot(ctx: Parameters<Rule['check']>[0], zr: ZeroReach, op: PyNode | undefined): boolean {
  if (!op) return false;
  let operand: PyNode | null = null;
  if (op.type === 'binary_operator') operand = field(op, 'left');
  else if (op.type === 'call') {
    const c = ctx.model.call(op);
    if (!c) return false;
    if (c.qname && /^(?:jax\.numpy\.linalg\.(?:norm|vector_norm)|tensorflow\.(?:linalg\.)?norm)$/.test(c.qname)) {
      const ord = c.keywords.get('ord') ?? c.positional[1];
      if (ord && !/^\s*(?:2|2\.0*|None|'fro'|"fro"|'euclidean'|"euclidean")\s*$/.test(ctx.text(ord))) return false;
      return !!c.positional[0] && !gradientValue(ctx, c.positional[0]);
    }
    if (c.qname && /\.(?:sqrt|pow|power)$/.test(c.qname)) operand = c.positional[0] ?? null;
    else if (c.qname === null && c.receiver && (c.method === 'sqrt' || c.method === 'pow')) operand = c.receiver;
  }
  if (!operand) return false;
  const terms = zr.squaredTerms(operand);
  return !!terms && terms.length > 0 && !terms.some((t) => gradientValue(ctx, t));
}

/** `e` reads a gradient (`p.grad`, a name bound to `autograd.grad(...)`, `tape.gradient(...)`, `jax.grad(f)(x)`). */
function gradientValue(ctx: Parameters<Rule['check']>[0], e: PyNode, depth = 0): boolean {
  if (/\bgrad(?:s|ients?)?\b|\.grad\b|gradient\(/.test(ctx.text(e))) return true;
  if (depth > 3) return false;
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.type === 'identifier' && ctx.model.isUse(x)) {
      const bs = ctx.model.reachingBindings(x);
      for (const b of bs) if (b.kind === 'assign' && b.value && gradientValue(ctx, b.value, depth + 1)) return true;
      continue;
    }
    stack.push(...x.children);
  }
  return false;
}

/** An enclosing `with` at module level that turns recording off (`with torch.no_grad():`). */
function moduleRecordingOff(m: SemanticModel, node: PyNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'with_statement') continue;
    const clause = p.children.find((c) => c.type === 'with_clause');
    for (const item of clause ? namedChildren(clause) : []) {
      const e = field(item, 'value') ?? namedChildren(item)[0];
      const x = e ? unparen(e) : null;
      const callee = x && x.type === 'call' ? field(x, 'function') : x;
      const q = callee ? m.qualifiedName(callee) : null;
      const mode = q ? TORCH_GRAD_MODES[q] : undefined;
      if (mode === 'off' || mode === 'inference') return true;
    }
  }
  return false;
}

/**
 * Whether a function of the file whose role puts its result on a training path (`trainingRole`: a module's forward
 * pass, a loss) returns a value the diagonal record `w` reaches: the root (division, logarithm) of a
 * difference of a tensor with itself computed in it, or in a helper it calls with one tensor twice. The record's
 * `risky` are the differences of that calling context, carried by the result's `risky` facet, so a helper also called
 * with two different tensors is reported only for the calls that pass one tensor twice. Not under a grad mode that
 * turns recording off, nor in a custom derivative rule (checked by the caller).
 */
/** The markers of a diagonal record (the operation itself left out) are all zero data made in the code (`jnp.zeros(...)`). */
function allZeroData(ctx: Parameters<Rule['check']>[0], w: { node: PyNode; risky: readonly number[] }): boolean {
  const markers = w.risky.filter((id) => id !== w.node.id);
  return markers.length > 0 && markers.every((id) => isZeroFactory(ctx, ctx.tree.nodes[id]));
}

function isZeroFactory(ctx: Parameters<Rule['check']>[0], n: PyNode | undefined): boolean {
  // The analysis marks these only when they are all zero (`jnp.zeros`, `torch.zeros`, `tf.zeros`, a product with a literal
  // 0) or written with a 0 entry (`jnp.array([0.4, 0.0])`, `torch.tensor(0.)`, `tf.constant([0.0, 1.0])`).
  if (!n) return false;
  if (n.type === 'binary_operator') return ctx.text(field(n, 'operator') ?? n) === '*';
  return n.type === 'call' && /^(?:jax\.numpy\.(?:zeros|array|asarray)|torch\.(?:zeros|tensor|as_tensor|Tensor|FloatTensor|DoubleTensor)|tensorflow\.(?:zeros|constant))$/.test(ctx.model.call(n)?.qname ?? '');
}

function zeroDataText(ctx: Parameters<Rule['check']>[0], w: { node: PyNode; risky: readonly number[] }): string {
  const first = w.risky.map((id) => ctx.tree.nodes[id]).find((n) => n !== w.node && isZeroFactory(ctx, n));
  return first ? ctx.text(first).replace(/\s+/g, ' ').slice(0, 40) : 'zeros(...)';
}

function returnsDiagonal(ctx: Parameters<Rule['check']>[0], w: { node: PyNode; risky: readonly number[] }): boolean {
  const m = ctx.model;
  const own = m.enclosingFunction(w.node);
  if (!own || own.name === '<lambda>' || /^test/.test(own.name) || recordingOff(m, own, w.node)) return false;
  for (const fn of m.functions) {
    if (fn.name === '<lambda>' || !trainingRole(ctx, fn)) continue;
    for (const r of fn.returns) {
      if (fn === own && recordingOff(m, fn, r)) continue;
      const v = ctx.analysis.values.get(unparen(r).id) ?? ctx.analysis.values.get(r.id);
      if (v && w.risky.some((id) => tensorOfValue(v).risky.includes(id))) return true;
    }
  }
  return false;
}

/**
 * Whether `fn`'s role puts its result on a training path without a caller in view: a module's forward pass (a method
 * `forward`, `__call__` or Keras' `call`), a loss (a function or method whose name says so: `gwd_loss`, `loss_fn`,
 * `compute_loss`), or a Keras loss signature `(y_true, y_pred)`. A library helper that merely returns a tensor is not
 * enough: such helpers are also written for metrics, statistics and post-processing that nothing differentiates.
 */
function trainingRole(ctx: Parameters<Rule['check']>[0], fn: FunctionInfo): boolean {
  if (/^test/.test(fn.name)) return false;
  if (fn.isMethod && /^(?:forward|__call__|call)$/.test(fn.name)) return true;
  if (/(?:^|_)loss(?:$|_)|Loss$/.test(fn.name)) return true;
  const params = fn.params.map((b) => ctx.text(b.target));
  return params.includes('y_true') && params.includes('y_pred');
}

/**
 * `where(X op C, a, b)` (`torch.where`, `jnp.where`, `tf.where`; X a plain name, C a number) with a risky site in `a`
 * (or `b`) whose singular operand is an expression in X and numbers only, evaluated at points where the condition is
 * false (true): a root's or logarithm's operand at or below 0, a divisor at 0 (or not a number) there.
 */
function singularWhereExcluded(ctx: Parameters<Rule['check']>[0], node: PyNode, risky: readonly number[], branchOf?: ReadonlyMap<number, 0 | 1 | 2>): boolean {
  if (node.type !== 'call') return false;
  const args = namedChildren(field(node, 'arguments') ?? node).filter((c) => c.type !== 'keyword_argument');
  if (args.length !== 3) return false;
  const cond = unparen(args[0]!);
  if (cond.type !== 'comparison_operator') return false;
  const parts = namedChildren(cond);
  const ops = cond.children.filter((c) => !c.named).map((c) => ctx.text(c));
  if (parts.length !== 2 || ops.length !== 1) return false;
  const num = (e: PyNode): number | null => {
    const t = ctx.text(unparen(e)).replace(/\s+/g, '');
    return /^-?\d+(?:\.\d*)?(?:e-?\d+)?$/.test(t) ? Number(t) : null;
  };
  let name: string;
  let c: number | null;
  let op = ops[0]!;
  if (unparen(parts[0]!).type === 'identifier' && (c = num(parts[1]!)) !== null) name = ctx.text(unparen(parts[0]!));
  else if (unparen(parts[1]!).type === 'identifier' && (c = num(parts[0]!)) !== null) {
    name = ctx.text(unparen(parts[1]!));
    op = ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op;
  } else return false;
  const holds = (x: number): boolean =>
    op === '>' ? x > c! : op === '<' ? x < c! : op === '>=' ? x >= c! : op === '<=' ? x <= c! : op === '==' ? x === c : op === '!=' ? x !== c : false;
  const points = [c - 2, c - 1, c - 0.5, c, c + 0.5, c + 1, c + 2, 0, 1, -1];
  const value = (e: PyNode, x: number, depth = 0): number | null => {
    const u = unparen(e);
    if (depth > 30) return null;
    if (u.type === 'identifier') return ctx.text(u) === name ? x : null;
    if (u.type === 'integer' || u.type === 'float') return Number(ctx.text(u));
    if (u.type === 'unary_operator') {
      const v = value(field(u, 'argument') ?? u, x, depth + 1);
      return v === null ? null : ctx.text(field(u, 'operator') ?? u) === '-' ? -v : v;
    }
    if (u.type === 'binary_operator') {
      const l = value(field(u, 'left') ?? u, x, depth + 1);
      const r = value(field(u, 'right') ?? u, x, depth + 1);
      if (l === null || r === null) return null;
      const o = ctx.text(field(u, 'operator') ?? u);
      return o === '+' ? l + r : o === '-' ? l - r : o === '*' ? l * r : o === '/' ? l / r : o === '**' ? l ** r : null;
    }
    if (u.type === 'call') {
      const fn = field(u, 'function');
      const last = fn ? ctx.text(fn).split('.').pop() : '';
      const method = fn?.type === 'attribute' && ctx.model.qualifiedName(fn) === null; // `x.sqrt()`, not `th.sqrt(x)` under any import name
      const inner = method ? field(fn!, 'object') : namedChildren(field(u, 'arguments') ?? u)[0];
      const v = inner ? value(inner, x, depth + 1) : null;
      if (v === null) return null;
      return last === 'sqrt' ? Math.sqrt(v) : last === 'log' ? Math.log(v) : null;
    }
    return null;
  };
  const within = (n: PyNode, a: PyNode): boolean => n.start >= a.start && n.end <= a.end;
  // A branch computed by a call of a function of the file without arguments (`where(trace > 0, trace_positive_cond(),
  // ...)` with `def trace_positive_cond(): sq = sqrt(trace + 1.0) ...` nested in the same function): its body is
  // evaluated where the branch is, on the names of the enclosing function.
  const body = (branch: PyNode): PyNode | null => {
    const b = unparen(branch);
    if (b.type !== 'call' || namedChildren(field(b, 'arguments') ?? b).length > 0) return null;
    const fn = ctx.model.functions.find((f) => f.name !== '<lambda>' && f.callSites.some((c) => c.node === b));
    return fn && fn.params.length === 0 ? fn.node : null;
  };
  const bodyA = body(args[1]!);
  const bodyB = body(args[2]!);
  for (const id of risky) {
    const site = ctx.tree.nodes[id];
    if (!site) continue;
    const inA = branchOf ? branchOf.get(id) === 1 : within(site, args[1]!) || (!!bodyA && within(site, bodyA));
    const inB = branchOf ? branchOf.get(id) === 2 : within(site, args[2]!) || (!!bodyB && within(site, bodyB));
    if (inA === inB) continue;
    // The singular operand: a root's or logarithm's argument (or receiver), a divisor.
    let operand: PyNode | null = null;
    let kind: 'root' | 'div' = 'root';
    if (site.type === 'binary_operator' && ctx.text(field(site, 'operator') ?? site) === '/') {
      operand = field(site, 'right');
      kind = 'div';
    } else if (site.type === 'call') {
      const fn = field(site, 'function');
      const last = fn ? ctx.text(fn).split('.').pop() : '';
      if (last !== 'sqrt' && last !== 'log') continue;
      const method = fn?.type === 'attribute' && ctx.model.qualifiedName(fn) === null; // `x.sqrt()`, not `th.sqrt(x)` under any import name
      operand = method ? field(fn!, 'object') : namedChildren(field(site, 'arguments') ?? site)[0] ?? null;
    }
    // A bare name (`where(n > 0, 1 / n, 0)`) is the plain guard, written in code that is never differentiated as well:
    // only an expression whose sign is reasoned about (`x ** 2 - 1`, `(1 - x) / (1 + x)`) counts here.
    if (!operand || unparen(operand).type === 'identifier') continue;
    for (const x of points) {
      // The inputs the condition leaves out for this branch.
      if (holds(x) === inA) continue;
      const v = value(operand, x);
      if (v === null) break;
      if (Number.isNaN(v) || (kind === 'root' ? v <= 0 : v === 0 || !Number.isFinite(v))) return true;
    }
  }
  return false;
}

/** The operand of `a + b` that is not (and does not hold) the root `root`: the epsilon added after it. */
/** The node's text on one line; a long call is shown with its arguments elided (`torch.sqrt(...)`), never cut mid-way. */
function brief(ctx: Parameters<Rule['check']>[0], n: PyNode, max = 60): string {
  const text = ctx.text(n).replace(/\s+/g, ' ');
  if (text.length <= max) return text;
  const fn = n.type === 'call' ? n.children.find((c) => c.field === 'function') : undefined;
  const head = fn ? ctx.text(fn).replace(/\s+/g, ' ') : '';
  return fn && head.length <= max - 5 ? `${head}(...)` : `${text.slice(0, max - 3)}...`;
}

function epsilonOf(sum: PyNode, root: PyNode | undefined): PyNode | null {
  const left = field(sum, 'left');
  const right = field(sum, 'right');
  if (!root || !right) return right;
  return root.start >= right.start && root.end <= right.end ? left : right;
}

/** Whether `n` contains a subscript by a comparison (`x[x > 1]`, `d[mask & (d > 0)]`): a boolean selection. */
function selects(n: PyNode): boolean {
  const stack = [n];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.type === 'subscript' && x.children.some((c) => c.field === 'subscript' && /comparison_operator|boolean_operator/.test(unparen(c).type))) return true;
    stack.push(...x.children);
  }
  return false;
}

/** A decorator or an enclosing `with` of `fn` that turns recording off (`@torch.no_grad()`, `with torch.inference_mode():`). */
function recordingOff(m: SemanticModel, fn: FunctionInfo, node: PyNode): boolean {
  const off = (e: PyNode | null | undefined): boolean => {
    if (!e) return false;
    const x = unparen(e);
    const callee = x.type === 'call' ? field(x, 'function') : x;
    const q = callee ? m.qualifiedName(callee) : null;
    const mode = q ? TORCH_GRAD_MODES[q] : undefined;
    return mode === 'off' || mode === 'inference';
  };
  for (const d of fn.node.parent?.type === 'decorated_definition' ? fn.node.parent.children.filter((c) => c.type === 'decorator') : []) {
    if (off(namedChildren(d)[0])) return true;
  }
  for (let p = node.parent; p && p !== fn.node; p = p.parent) {
    if (p.type !== 'with_statement') continue;
    const clause = p.children.find((c) => c.type === 'with_clause');
    for (const item of clause ? namedChildren(clause) : []) if (off(field(item, 'value') ?? namedChildren(item)[0])) return true;
  }
  return false;
}

/** `norm(...)` squared where it stands: `norm(d) ** 2`, `square(norm(d))`, `norm(d).pow(2)` (AGL022 reports those). */
function squaredNorm(ctx: Parameters<Rule['check']>[0], op: PyNode): boolean {
  const fn = op.type === 'call' ? op.children.find((c) => c.field === 'function') : undefined;
  if (!fn || !/(?:^|\.)(?:norm|vector_norm)$/.test(ctx.text(fn))) return false;
  let p = op.parent;
  while (p && (p.type === 'parenthesized_expression' || p.type === 'argument_list')) p = p.parent;
  if (!p) return false;
  if (p.type === 'binary_operator') return /^\*\*\s*2(?:\.0*)?$/.test(ctx.text(p).slice(ctx.text(p).lastIndexOf('**')).replace(/\s+/g, ' ').replace('** ', '**'));
  if (p.type === 'call') {
    const f = p.children.find((c) => c.field === 'function');
    return !!f && /(?:^|\.)square$/.test(ctx.text(f));
  }
  return false;
}
