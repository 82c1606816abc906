/**
 * AGL010 relu-higher-derivative: a derivative of a derivative (nested `grad`, `functional.hessian`,
 * `jacrev(jacrev(f))`) of a model built in this file from piecewise-linear activations only (ReLU
 * family): the second derivative is zero almost everywhere.
 *
 * Asked of the autograd analysis: a derivative whose differentiated value is already a derivative (or a
 * Hessian-type call), where every nonlinearity on the path from the input was piecewise linear.
 */
import { tensorOfValue } from '../analysis/library';
import type { AV, DerivativeEvent } from '../analysis';
import { modelCallFor, modelName } from '../analysis/queries';
import { torchvisionBuilder } from '../knowledge/torch';
import type { Rule, RuleContext } from '../rule';
import { unparen, type PyNode } from '../tree';

export const AGL010: Rule = {
  meta: {
    code: 'AGL010',
    name: 'relu-higher-derivative',
    summary: 'Second derivative of a ReLU network: zero almost everywhere, so curvature and PDE terms learn nothing.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a derivative of a derivative with respect to the input — `torch.autograd.grad` of something derived from ' +
        'another `grad(...)`, `torch.autograd.functional.hessian/hvp/vhp`, `torch.func.hessian`, `jacrev(jacrev(f))` / ' +
        '`jacfwd(jacrev(f))`, nested `tf.GradientTape`s or a second `tape.gradient` of a first one, `jax.hessian` — where the ' +
        'differentiated model is defined in the same file and uses only piecewise-linear activations: PyTorch\'s `nn.ReLU`, ' +
        '`F.relu`, `LeakyReLU`, `ReLU6`, `PReLU`, `Hardtanh`; TensorFlow\'s `tf.nn.relu`/`leaky_relu`/`relu6`, `tf.abs`, ' +
        '`tf.maximum`, `tf.clip_by_value`, Keras layers with `activation=\'relu\'` (or `tf.nn.relu`), `ReLU`/`LeakyReLU`/`PReLU` ' +
        'layers, a `Sequential` built from them (in a list or with `add`), a functional `Model` or a subclassed `Model`; ' +
        'JAX\'s `jax.nn.relu`, `jnp.abs`/`maximum`/`clip` under `jax.hessian`, `jacfwd(jacrev(f))` or a `jax.grad` of a ' +
        'function that takes a first `jax.grad` of the same argument. With `argnums` (the weights first, the input second: ' +
        '`jax.hessian(u, argnums=1)(params, x)`, `jacfwd(grad(u, argnums=1), argnums=1)`, `functorch.hessian(f, ' +
        'argnums=1)`) only the named argument is differentiated; the others are constants; and torchvision\'s ' +
        'ReLU classifiers (`models.resnet18()`, VGG, DenseNet, SqueezeNet, GoogLeNet, Inception v3, MobileNetV2, MNASNet, ' +
        'ShuffleNetV2, RegNetX), their parts (`vgg16().features`) and heads replaced by linear layers.',
      whyIsThisBad:
        'A ReLU network is piecewise linear in its input: its second derivative is exactly zero wherever it exists. ' +
        '`u_xx` of a ReLU PINN is a tensor of zeros, the PDE residual `u_xx - f` gives the weights no gradient, and a ' +
        'Hessian or curvature penalty is identically zero. Nothing fails; the model simply never learns the term.',
      example: [
        '```python',
        'pinn = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 1))',
        'u = pinn(x)',
        'u_x = torch.autograd.grad(u.sum(), x, create_graph=True)[0]',
        'u_xx = torch.autograd.grad(u_x.sum(), x, create_graph=True)[0]   # all zeros',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'pinn = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))   # or Softplus, SiLU, GELU, sin',
        '```',
      ].join('\n'),
      knownProblems:
        'The model must be resolvable in this file: a variable bound to `nn.Sequential(...)`, an instance of a class ' +
        'defined here, the result of a factory function defined here (followed through `.double()` / `.to()` and ' +
        'function parameters), or a torchvision classifier whose layers are known. A parameter named like a model (`model`, ' +
        '`net`, `network`) of a function nothing in the file calls, or of the `__init__` of a class nothing in the file ' +
        'builds (a trainer keeping `self.net = net`), is taken to hold the file\'s only top-level `nn.Module` class (at most ' +
        'three module classes, not a loss class): a helper or trainer written next to its model is written for it. A file ' +
        'whose model-named parameter receives another network from a script elsewhere would be misread. torchvision\'s EfficientNet, ' +
        'MobileNetV3 (Hardswish), RegNetY (sigmoid gates), ConvNeXt, Swin, ViT and MaxViT are curved and not flagged, nor is a ' +
        'torchvision model whose head was replaced by anything but library layers. Models built elsewhere, or from an activation chosen at run time, are not checked. A `Sequential` of an ' +
        '`OrderedDict` of named layers, or one made empty and filled with `add_module`/`append`, counts as built from the ' +
        'layers it was given; a module class of the file or a layer of unknown kind among them, when their order is not ' +
        'known, counts as possibly curved. A parameter of a function nothing in the file calls that the function itself ' +
        'differentiates with respect to (`def pde_residual(x): u = model(x); ... grad(u_x, x, ...)`) is taken as a tensor that ' +
        'requires grad whatever it was computed from (a derivative with respect to it does not look further back); other ' +
        'parameters of unknown value used on the way (`model(x * t)`) keep the derivative unjudged. A model ' +
        'that mixes ReLU with any smooth activation is not flagged (its second derivative is not identically zero); so is a ' +
        'Keras layer whose activation is a function of the file or a name the linter does not know. ' +
        'Second derivatives with respect to the weights (Sobolev training, `.backward()` of a gradient loss) are fine and ' +
        'not flagged. Nor is a second input derivative of a *loss* of a ReLU network that has curvature of its own ' +
        '(cross-entropy, squared error, `logsumexp`, a norm, a loss function whose kind is not visible): the input Hessian ' +
        'of a ReLU classifier\'s cross-entropy is J^T (diag(p) - p p^T) J, not zero; through `l1_loss`, `nll_loss` or a ' +
        'max it stays zero and is flagged.',
      fixSafety: 'No fix: replacing the activation changes the model and needs retraining.',
      references: [
        '[torch.autograd.grad](https://pytorch.org/docs/stable/generated/torch.autograd.grad.html)',
        '[tf.GradientTape: higher-order gradients](https://www.tensorflow.org/guide/advanced_autodiff#higher-order_gradients)',
        '[tensorflow issue 9398: second derivative of a LeakyReLU critic is zero](https://github.com/tensorflow/tensorflow/issues/9398)',
      ],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    for (const d of a.events.derivatives) {
      const out = tensorOfValue(d.output);
      // A JAX `grad` of a value that is already a derivative is a second derivative only when the first one was taken
      // with respect to what this one differentiates (`grad(lambda z: grad(f)(z).sum())`, `jacfwd(grad(u, argnums=1),
      // argnums=1)`); `grad(loss)(params)` of a loss holding `grad(u, argnums=1)(params, x)` trains the parameters.
      if (d.spec.framework === 'jax' && !/hessian|jac/.test(d.api) && !(d.spec.order < 2 && firstWithRespectToSame(ctx, d))) continue;
      // A second derivative: of a first derivative, or a Hessian-type call.
      if (out.order < 1 && d.spec.order < 2) continue;
      // ... with respect to the input, not the weights (Sobolev training is fine).
      if (hasParameters(d.inputs)) continue;
      // A tape's sources must be known to be the input (a watched tensor, a placeholder): an attribute the analysis
      // cannot see may be a weight.
      if (d.spec.framework === 'tensorflow') {
        const src = tensorOfValue(d.inputs);
        if (src.leafOf === null && src.leaves.length === 0) continue;
        // ... and the first derivative must still be on a tape: one that went through `tf.sign` or `tf.stop_gradient`
        // (an iterative attack's step) is data to the second.
        if (d.spec.order < 2 && out.dGraph.length === 0) continue;
      }
      // Zero almost everywhere only when every nonlinearity on the way is piecewise linear.
      if (out.pwl.length === 0 || out.curved.length > 0 || out.opaque) continue;
      // BatchNorm in training mode divides by the batch's standard deviation, a curved function of the inputs: a
      // torchvision ResNet's second input derivative is then far from zero (test/fixtures/lint/AGL010/good_torchvision.py).
      if (out.coupled.length > 0) continue;
      // Through an operation without a double backward the second derivative raises first (AGL026 says so).
      if (out.noDouble.length > 0) continue;
      const call = modelCallFor(ctx.analysis, d, (t) => t.pwl.length > 0 && t.pwl.every((x) => out.pwl.includes(x)));
      const model = call ? modelName(ctx.model, call, d) : { name: 'the function', def: null };
      const acts = [...new Set(out.pwl.map((id) => activationName(ctx, ctx.tree.nodes[id])))].join(', ');
      const vision = [...new Set(out.pwl.map((id) => torchvisionName(ctx, ctx.tree.nodes[id])))];
      const first = out.order >= 1 ? a.events.derivatives.find((x) => x !== d && d.output.site >= 0 && x.node.id === d.output.site) ?? firstDerivativeOf(ctx, d) : null;
      ctx.report({
        node: d.node,
        message:
          (call && vision.every((v) => v !== null)
            ? `Second derivative of \`${model.name}\`, torchvision's \`${vision.join('`, `')}\`: its only nonlinearities are ReLU and ` +
              'max-pooling (BatchNorm is affine in evaluation mode), so it is piecewise linear in its input and this derivative is zero ' +
              'almost everywhere; a loss on it trains nothing. Use a model with smooth activations (ConvNeXt, ViT, EfficientNet, or ' +
              'Softplus/SiLU in place of ReLU) where second derivatives matter.'
            : call
            ? `Second derivative of \`${model.name}\`, which is built from \`${acts}\` only: a ReLU-type network is piecewise linear, ` +
              'so this derivative is zero almost everywhere and a loss on it trains nothing. Use a smooth activation (Tanh, Softplus, ' +
              'SiLU, GELU, sin) for higher derivatives.'
            : `Second derivative of a function whose only nonlinearities are \`${acts}\`: it is piecewise linear in the input, so ` +
              'this derivative is zero almost everywhere (a selection like max/min/abs passes one argument\'s derivative through). ' +
              'Use a smooth surrogate (softplus, logsumexp for max) where higher derivatives matter.'),
        related: [
          ...(first ? [{ node: first.node, message: 'the first derivative' }] : []),
          ...(model.def ? [{ node: model.def, message: `\`${model.name}\` is defined here` }] : []),
        ],
      });
    }
  },
};

function hasParameters(v: AV): boolean {
  if (v.t?.variable) return true;
  // Fast weights: parameters moved by a gradient step (`w - lr * g`, meta-learning's inner loop).
  if (v.t && v.t.params.length > 0 && v.t.dGraph.length + v.t.dNoGraph.length > 0) return true;
  if (v.items) return v.items.some(hasParameters);
  return v.elem ? hasParameters(v.elem) : false;
}

/**
 * Whether a first derivative that `d` differentiates was taken with respect to `d`'s own input: its differentiated
 * value is (or is computed from) the leaf `d`'s transform made of the argument (`d.node`'s site), or, for two
 * transforms composed in one call (`jacfwd(grad(f, argnums=1), argnums=1)(p, x)`, one event), both name the same
 * argument.
 */
function firstWithRespectToSame(ctx: RuleContext, d: DerivativeEvent): boolean {
  const out = tensorOfValue(d.output);
  const sites = new Set([...out.dGraph, ...out.dNoGraph]);
  if (sites.size === 0) return false;
  const leaf = d.node.id;
  for (const e of ctx.analysis.events.derivatives) {
    if (!sites.has(e.node.id)) continue;
    if (e === d) {
      if (sameArgnumsComposed(ctx, d.node)) return true;
      continue;
    }
    const t = tensorOfValue(e.inputs);
    if (t.leafOf === leaf || t.leaves.includes(leaf) || t.mayLeaf.includes(leaf)) return true;
  }
  return false;
}

/** `T1(T2(f, argnums=k), argnums=k)(...)`: two transforms composed whose literal `argnums` (default 0) agree. */
function sameArgnumsComposed(ctx: RuleContext, node: PyNode): boolean {
  const outer = ctx.model.call(node)?.calleeCall;
  const inner = outer ? unparen(outer.positional[0] ?? outer.node) : null;
  const innerCall = inner && inner.type === 'call' ? ctx.model.call(inner) : undefined;
  if (!outer || !innerCall) return false;
  const argnums = (c: NonNullable<typeof innerCall>): string | null => {
    if (c.hasKwargs || c.hasStarArgs) return null;
    const a = c.keywords.get('argnums') ?? c.positional[1];
    return a ? (a.type === 'integer' ? ctx.text(a) : null) : '0';
  };
  const a = argnums(outer);
  return a !== null && a === argnums(innerCall);
}

/** The first derivative a second one is taken of (the derivative event whose result it was computed from). */
function firstDerivativeOf(ctx: RuleContext, d: DerivativeEvent): DerivativeEvent | null {
  const out = tensorOfValue(d.output);
  const sites = new Set([...out.dGraph, ...out.dNoGraph]);
  return ctx.analysis.events.derivatives.find((x) => x !== d && sites.has(x.node.id)) ?? null;
}

/** The builder's name when a piecewise-linear site is a torchvision model (`resnet18`), else null. */
function torchvisionName(ctx: RuleContext, n: PyNode): string | null {
  return torchvisionBuilder(n.type === 'call' ? ctx.model.call(n)?.qname : null);
}

function activationName(ctx: RuleContext, n: PyNode): string {
  if (n.type === 'call') {
    const c = ctx.model.call(n);
    const q = c ? (c.qname ?? (c.calleeCall ? null : null)) : null;
    if (q) {
      // A Keras layer whose activation makes it piecewise linear: name the activation.
      const act = c?.keywords.get('activation') ?? (q.endsWith('.Activation') ? c?.positional[0] : undefined);
      const layer = q.replace(/^tensorflow\.keras\.layers\./, '').replace(/^tensorflow\./, 'tf.');
      if (act && q.startsWith('tensorflow.keras.')) return q.endsWith('.Activation') ? `${layer}(${ctx.text(act)})` : `${layer}(activation=${ctx.text(act)})`;
      return layer.replace(/^torch\.nn\.functional\./, 'F.').replace(/^torch\.nn\./, 'nn.').replace(/^jax\.numpy\./, 'jnp.');
    }
    if (c?.method) return `.${c.method}()`;
  }
  return ctx.text(n).split('(')[0];
}
