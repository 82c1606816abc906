/**
 * AGL009 derivative-with-recording-off: `torch.autograd.grad` / `.backward()` / `functional.*`
 * inside `torch.no_grad()`, `torch.inference_mode()`, a `@torch.no_grad()` function, or a Lightning
 * `validation_step` / `test_step` / `predict_step` (run under inference mode by default).
 */
import { isKind, Kind, requiresGrad, type AV, type Recording } from '../analysis';
import { tensorOfValue } from '../analysis/library';
import { OPTIMIZER_CLOSURE_SPEC } from '../knowledge/torch';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, SemanticModel } from '../semantic';
import { contains, field, namedChildren, positionAt, unparen, walk, type PyNode } from '../tree';
import type { Fix, TextEdit } from '../types';

/**
 * `out = f(x)` computed where recording is off, then `out.requires_grad = True` (to silence "does not have a grad_fn")
 * and `torch.autograd.grad(out, x)`: the mark makes `out` a new leaf with no history, so the derivative with respect to
 * `x` is None (with `allow_unused=True`) or raises. Reported when the differentiated output is that marked value itself
 * and none of the inputs is it. Returns whether it reported.
 */
function markedAfterRecordingOff(ctx: RuleContext, it: { node: PyNode; what: string; output: AV; inputs?: AV }): boolean {
  const out = it.output.t;
  if (!out || out.opaque || out.params.length > 0) return false;
  const marks = [...out.leaves, ...(out.leafOf !== null ? [out.leafOf] : [])];
  if (marks.length === 0 || out.mayLeaf.length > 0) return false;
  const inputs: number[] = [];
  const go = (x: AV): void => {
    if (x.items) x.items.forEach(go);
    else if (x.t?.leafOf !== null && x.t?.leafOf !== undefined) inputs.push(x.t.leafOf);
  };
  go(it.inputs!);
  if (inputs.length === 0 || inputs.some((i) => marks.includes(i))) return false;
  // Every leaf the output reaches is a mark of a value computed with recording off (a hollow leaf).
  let first: { leaf: import('../analysis').LeafEvent; off: PyNode } | null = null;
  for (const id of marks) {
    const leaf = ctx.analysis.events.leaves.find((l) => l.node.id === id);
    if (!leaf || leaf.kind === 'factory') return false;
    const before = leaf.beforeAny.t;
    if (!before || before.recOff === null || before.recOff < 0 || before.opaque || requiresGrad(before) || before.dGraph.length > 0) return false;
    const off = ctx.tree.nodes[before.recOff];
    if (!off) return false;
    first ??= { leaf, off };
  }
  if (!first) return false;
  const { leaf, off } = first;
  const def = off.parent?.type === 'function_definition' && field(off.parent, 'name') === off ? off.parent : null;
  const fnPart = def && /^a custom autograd\.Function's (forward|backward)/.exec(leaf.recording.why ?? '')?.[1];
  const place = fnPart
    ? `in the \`${fnPart}\` of a custom \`autograd.Function\`, which PyTorch runs with grad mode off`
    : def
      ? `in \`${ctx.text(off)}\`, which runs with recording off`
      : `under \`${ctx.text(off).replace(/^@/, '').replace(/\s+/g, ' ').slice(0, 50)}\` (line ${ctx.lineOf(off)})`;
  ctx.report({
    node: leaf.node,
    message:
      `\`requires_grad\` here marks a value computed ${place}: autograd recorded nothing for it, so the mark makes it a new ` +
      `leaf with no history, and ${it.what} (line ${ctx.lineOf(it.node)}) finds no path from it to the inputs (None with ` +
      '`allow_unused=True`, else "One of the differentiated Tensors appears to not have been used in the graph"). ' +
      'Recompute the value under `torch.enable_grad()` from inputs that require grad (`x = x.detach().requires_grad_()`), ' +
      'and differentiate that.',
    related: [{ node: off, message: 'recording is off here' }, { node: it.node, message: 'the derivative' }],
  });
  return true;
}

/**
 * Wrap the statements from the first one the differentiated value derives from (in the same block)
 * through the derivative's statement in `with torch.enable_grad():`.
 */
function enableGradFix(ctx: RuleContext, call: CallInfo, outputs: PyNode | null): Fix | null {
  const m = ctx.model;
  const torch = m.moduleAlias('torch');
  if (!torch) return null;
  const stmt = m.statementOf(call.node);
  const block = stmt.parent;
  if (!block || block.type !== 'block') return null;
  const stmts = block.children.filter((c) => c.named && c.type !== 'comment');
  const idx = stmts.indexOf(stmt);
  if (idx < 0) return null;
  let first = idx;
  const topOf = (n: PyNode): number => {
    for (let p: PyNode | null = n; p; p = p.parent) if (p.parent === block) return stmts.indexOf(p);
    return -1;
  };
  if (outputs) {
    m.traceBack(outputs, (n) => {
      const i = topOf(n);
      if (i >= 0 && i < first) first = i;
      return true;
    });
  }
  const startNode = stmts[first];
  const indent = ctx.indentOf(startNode);
  const unit = indent.includes('\t') ? '\t' : '    ';
  const startLine = positionAt(ctx.tree.lineStarts, startNode.start).line;
  const endLine = positionAt(ctx.tree.lineStarts, stmt.end).line;
  const edits: TextEdit[] = [];
  for (let line = startLine; line <= endLine; line++) {
    const off = ctx.tree.lineStarts[line];
    const next = line + 1 < ctx.tree.lineStarts.length ? ctx.tree.lineStarts[line + 1] : ctx.source.length;
    const text = ctx.source.slice(off, next);
    const prefix = line === startLine ? `${indent}with ${torch}.enable_grad():${ctx.eol}` : '';
    if (text.trim() === '' && !prefix) continue;
    edits.push(ctx.insertAt(off, prefix + unit));
  }
  return { title: `Wrap in \`with ${torch}.enable_grad():\``, safe: false, edits };
}




export const AGL009: Rule = {
  meta: {
    code: 'AGL009',
    name: 'derivative-with-recording-off',
    summary: 'A derivative is taken where autograd does not record (`no_grad`, `inference_mode`, Lightning evaluation hooks).',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `torch.autograd.grad`, `torch.autograd.backward`, `Tensor.backward()` and `torch.autograd.functional.*` calls ' +
        'inside `with torch.no_grad():`, `with torch.inference_mode():`, `with torch.set_grad_enabled(False):`, in a function ' +
        'decorated with `@torch.no_grad()` / `@torch.inference_mode()`, and in the `validation_step`, `test_step` and ' +
        '`predict_step` of a Lightning `LightningModule`, which Lightning runs under `torch.inference_mode()` by default (and in ' +
        'the batch and epoch hooks around them, `on_validation_batch_start`/`_end`, `on_test_batch_*`, `on_predict_batch_*`, ' +
        'of the module or of a Lightning `Callback`, which run in the same evaluation context), and ' +
        'in the `forward` and `backward` of a custom `torch.autograd.Function`, which PyTorch runs with grad mode off ' +
        '(`backward` records only when the backward pass was called with `create_graph=True`). ' +
        'Also a value computed where recording is off and then marked `requires_grad` (`out.requires_grad = True`) to ' +
        'silence "does not have a grad_fn", then differentiated with respect to other leaves (`torch.autograd.grad(out, x)`): ' +
        'the mark makes it a new leaf with no history, so the derivative is None with `allow_unused=True` or raises; the ' +
        'finding is at the mark. ' +
        'A `torch.enable_grad()` block (or decorator) closer to the call switches recording back on, except under ' +
        '`inference_mode`: a helper decorated `@torch.enable_grad()` and called from an evaluation hook still records nothing. ' +
        '`torch.set_grad_enabled(False)` written as a statement (also `torch.autograd.set_grad_enabled`, with a literal or a ' +
        'flag whose value the caller shows) switches recording off for the rest of the function and the calls it makes, ' +
        'until `torch.set_grad_enabled(True)`, and for the caller when the function returns without switching it back (the ' +
        'grad mode is global: an evaluation helper that leaves it off breaks the next `backward()`); switched on one path ' +
        'only, the mode after the branches is unknown and nothing is reported. Also reported: a call of a library object that differentiates the model it wraps inside the call ' +
        '(knowledge `DIFFERENTIATES_INSIDE`: advertorch\'s gradient attacks\' `perturb`, torchattacks\' gradient attacks ' +
        'called on images, white-box ART attacks\' `generate`, the gradient-based CAMs of pytorch-grad-cam called on an ' +
        'input; `DIFFERENTIATING_FUNCTIONS`: CleverHans\' PyTorch attack functions) made where recording is off. Attacks ' +
        'that switch recording on themselves (advertorch\'s FAB, torchattacks\' APGD) and black-box ones are not reported. ' +
        'A grad mode chosen by a flag the caller shows (`nullcontext() if train else torch.no_grad()`), kept in an attribute ' +
        'or applied by calling the decorator (`torch.no_grad()(f)`) is followed too, and so are decorators the code defines ' +
        'itself (in the file or a workspace file): one that returns `torch.no_grad()(fn)` or `torch.inference_mode()(fn)`, ' +
        'also chosen by a condition (`(torch.inference_mode if torch_1_9 else torch.no_grad)()(fn)`, YOLOv5\'s ' +
        '`@smart_inference_mode()`: recording is off either way; when the condition tests the installed torch\'s version, ' +
        'read through `torch.__version__` or `hasattr(torch, \'inference_mode\')` in the condition, a name bound to it or a ' +
        'parameter\'s default, the decorator is inference mode, which every torch that has `inference_mode` (1.9 and later) ' +
        'picks, so a `torch.enable_grad()` block inside does not help), or a wrapper whose every call of the function is ' +
        'inside `with torch.no_grad():`. A snippet that uses, without importing it, a class name that only one of these ' +
        'libraries defines (`SmoothGradCAMpp`, `LinfPGDAttack`, `ProjectedGradientDescent`; knowledge ' +
        '`UNIMPORTED_LIBRARY_CLASSES`) is read as that library\'s class, as `torch` and `nn` are read without imports; names ' +
        'two libraries share or shorter than eight characters (`GradCAM`, `FGSM`, `PGD`), a class of the file with that ' +
        'name and any file with a star import are not. A ' +
        'method a base class calls on `self` but leaves to its subclasses (it does not define it, or only raises ' +
        '`NotImplementedError`) is followed into the overrides of the subclasses in view: a base trainer\'s ' +
        '`@torch.no_grad()` `validate` that calls `self.loss(x)`, whose PINN subclass differentiates, is reported there. Lightning\'s evaluation hooks include ' +
        'the loop\'s start, end and model-mode hooks (`on_validation_start`, `on_test_end`, `on_validation_model_eval`, ...) ' +
        'and Lightning 1.x\'s `validation_epoch_end`/`test_epoch_end`, also when a mixin supplies them to a LightningModule of the ' +
        'file (`class Solver(PhysicsMixin, pl.LightningModule)`). A `torch.set_grad_enabled(False)` statement that the body of a ' +
        'loop (or a helper it calls, an evaluation at the end of each epoch) leaves in force on every path to the next round ' +
        'switches recording off from the second round on. Besides derivatives and backwards, `t.retain_grad()`, ' +
        '`t.register_hook(f)` (which raise) and `assert t.requires_grad` (which fails) on a tensor computed there are reported. ' +
        'With workspace imports, a derivative in another file\'s model (its `forward` or a method it calls) or helper that this ' +
        'file calls with recording off is reported at those calls, and only at those made under the region the message names. ' +
        'Custom optimizers: in the `step(self, closure=None)` of an optimizer class (a subclass of `torch.optim.Optimizer`, ' +
        'of another `torch.optim` or `torch_optimizer` class, or of a class named `...Optimizer`) that reads parameters\' ' +
        '`.grad`, the `closure` is the one `torch.optim`\'s API passes, which re-evaluates the model and calls `backward()`: ' +
        'calling it where recording is off (`@torch.no_grad()` on `step`, also as an imported or stored decorator, a ' +
        '`with torch.no_grad():` block, a helper method `step` hands the closure to, `@torch.inference_mode()`) is reported ' +
        'at the call. `torch.optim`\'s own `step(closure)` runs the closure with recording on, so a wrapper that passes the ' +
        'closure on (`self.base_optimizer.step(closure)`) is not reported. `torch.func` / functorch transforms (`grad`, ' +
        '`grad_and_value`, `jacrev`, `jacfwd`, `hessian`) applied in inference mode are reported: they ignore `no_grad` but ' +
        'not inference mode, where they return zeros or raise. A derivative taken where recording is on, of a value computed ' +
        'entirely where it was off (the result of a `@torch.no_grad()` helper or method, a loss computed in a `no_grad` ' +
        'block and differentiated after it, an energy predicted in inference mode), is reported too: nothing recorded its ' +
        'graph.',
      whyIsThisBad:
        'While recording is off, the forward pass builds no graph: the output has no `grad_fn`, and `grad()` / `backward()` ' +
        'raise "element 0 of tensors does not require grad and does not have a grad_fn". Under `inference_mode` even ' +
        '`torch.enable_grad()` does not help: tensors made there are inference tensors and cannot be recorded. Input ' +
        'derivatives in a Lightning validation step therefore fail although the same code works in `training_step`. ' +
        '`torch.autograd.functional.jacobian/hessian/vjp/...` switch recording on themselves, so they work under `no_grad` ' +
        '(not flagged there) — but under `inference_mode` they raise nothing and return zeros, which is worse.',
      example: [
        '```python',
        'with torch.no_grad():',
        '    y = model(x)',
        '    dy_dx = torch.autograd.grad(y.sum(), x)[0]',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'with torch.no_grad():',
        '    baseline = model(x)',
        '    with torch.enable_grad():',
        '        y = model(x)',
        '        dy_dx = torch.autograd.grad(y.sum(), x)[0]',
        '',
        '# Lightning: Trainer(inference_mode=False), and in validation_step:',
        '#     with torch.enable_grad(): ...',
        '```',
      ].join('\n'),
      knownProblems:
        'A derivative of a value computed before recording was switched off is fine (its graph exists) and is not ' +
        'flagged; the rule looks for any operation on the differentiated value inside the region. A value computed ' +
        'under `no_grad` and then combined, with recording on, with the result of a call of code not in view (a critic\'s ' +
        'estimate `self.critic(obs, act)` against a target made under `no_grad`) is not taken to be made entirely with ' +
        'recording off. `retain_grad()` and `register_hook` inside an `if` that tests the tensor for a graph first ' +
        '(`if t.grad_fn is not None:`, `if t.requires_grad:`) are not reported. ' +
        'A helper of the same file that differentiates is flagged when some call reaches it with recording off (a `no_grad` ' +
        'evaluation, a Lightning evaluation hook), even if other calls (the training loop) reach it with recording on; a ' +
        'helper in another file is followed only through the workspace\'s imports, and a call the file does not show is not. ' +
        'A library attack or CAM is recognised ' +
        'only when its constructor is visible, with its import or by a name only that library defines (an `adversary` made ' +
        'elsewhere is not known). An attack or explainer class of the file (or of an imported workspace file) given to an ' +
        'evaluation as a parameter (`def evaluate(model, attacker, loader)`) or kept as an attribute from a constructor ' +
        'parameter (`self.attack = attack`) is followed when the methods called on it (`attacker.perturb(x, y)`) are all ' +
        'defined by exactly that one class and one of them differentiates: the evaluation is taken to be given that class ' +
        '(two classes defining the method, or none differentiating, leave it unknown). An unknown object (an `adversary` made ' +
        'elsewhere is not known). The unimported name assumes the snippet means the library: a project\'s own class of the ' +
        'same long name quoted without its definition, which switches recording on inside, would be misread. A ' +
        '`torch.set_grad_enabled(False)` statement in module code applies to the calls the module makes, not to functions ' +
        'and methods nothing in the file calls; a function whose body has a `finally` clause or a `yield` (a ' +
        '`@contextmanager`) is taken to restore the mode it found, and a mode left off for the next round of a loop ' +
        'on some paths only (evaluated every tenth epoch) leaves the mode at the top of the loop unknown, so nothing is reported. ' +
        'A decorator that picks `inference_mode` or `no_grad` by a condition is taken as `no_grad` (recording off on every ' +
        'path), so an `enable_grad()` block under it is not reported although it does not help in inference mode; a ' +
        'decorator class, or a wrapper that calls the function outside its `no_grad` block on some path, is not followed. ' +
        'Overrides are looked for among the subclasses of the file and of the workspace files it imports; a subclass ' +
        'defined elsewhere is not seen. ' +
        'A lambda is assumed to run where it is passed. `torch.func` transforms (`grad`, `jacrev`, `vmap`) ignore an ' +
        'outer `no_grad` and are not flagged there. An optimizer\'s closure is recognised only in a method named `step` ' +
        'whose parameter is named `closure`, of a class whose bases make it an optimizer and which reads `.grad` (a ' +
        'gradient-free optimizer whose closure only evaluates the loss is not flagged), unless the optimizer is not all in ' +
        'view: a `step(self, closure)` quoted without its class, or an optimizer class whose body or `step` is elided with ' +
        '`...`, is taken to need the gradients its closure computes (a gradient-free optimizer quoted so is misread); an optimizer whose step is called ' +
        'with a closure in the same file is followed into that closure instead, and a `backward()` there is reported. ' +
        'Another library\'s optimizer (`torch_optimizer`, `transformers`) called with a closure under `no_grad` is not ' +
        'reported: whether its step switches recording on is not known. A value made with recording off is reported ' +
        'only when nothing on its way may require grad (no leaf, parameter, argument nobody passes visibly, or derivative ' +
        'with a graph joins it). Lightning evaluation hooks are taken to run in inference mode unless the file shows ' +
        '`Trainer(inference_mode=False)` (then under `no_grad`, where `enable_grad()` helps): a `Trainer(inference_mode=False)` ' +
        'configured in another file or a configuration file is not seen, so a derivative inside `enable_grad()` in a hook is ' +
        'reported there. Lightning 2.x runs the validation loop of `trainer.fit` under `no_grad` whatever `inference_mode` says ' +
        '(only `trainer.validate`, `test` and `predict` use inference mode), so `enable_grad()` in `validation_step` works during ' +
        'fitting; the rule still reports it, as it fails in `trainer.validate` and in Lightning 1.7-1.9. Which Trainer runs a ' +
        'module\'s hooks is not followed (the file\'s Trainers count as one), but a file with a `Trainer(inference_mode=False)` ' +
        'whose `trainer.test/validate/predict(...)` runs on another Trainer built without it (nor `**config`) is reported at ' +
        'that call: the setting says the module needs gradients in evaluation, whether or not its code is in view.',
      fixSafety:
        'Wrapping the statements from the forward pass through the derivative in `with torch.enable_grad():` is offered for ' +
        '`no_grad` contexts and is unsafe: those statements now record a graph (more memory; their results require ' +
        'grad), which changes behaviour for code that relied on `no_grad` there. No fix is offered under `inference_mode` ' +
        '(it would not help) or for a Lightning hook whose Trainer is not visible. For an optimizer\'s closure called under ' +
        '`no_grad` (`closure()`, `loss = closure()`, `return closure()` on one line), wrapping that statement in ' +
        '`with torch.enable_grad():` is safe: it is how PyTorch\'s optimizers call the closure, only the closure\'s forward ' +
        'pass and backward now record, and a ground-truth test runs the fixed optimizer against `torch.optim.SGD`.',
      references: [
        '[Locally disabling gradient computation](https://pytorch.org/docs/stable/notes/autograd.html#locally-disable-grad-doc)',
        '[torch.inference_mode](https://pytorch.org/docs/stable/generated/torch.inference_mode.html)',
        '[Lightning Trainer inference_mode](https://lightning.ai/docs/pytorch/stable/common/trainer.html#inference-mode)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const a = ctx.analysis;
    type Item = { node: PyNode; what: string; output: AV; functional: boolean; rec: Recording; inputs?: AV };
    const items: Item[] = [];
    for (const d of a.events.derivatives) {
      if (d.spec.framework !== 'pytorch') continue;
      // `torch.func` (functorch) transforms ignore an outer `no_grad`, as `autograd.functional` does, and record nothing
      // in inference mode: `grad`/`jacrev`/`vjp` return zeros there, `jacfwd`/`hessian` raise (PyTorch 1.13 to 2.x).
      const transform = d.spec.returns === 'function' && d.api.startsWith('torch.func.');
      if (d.spec.returns !== 'value' && !transform) continue;
      items.push({ node: d.node, what: `\`${d.api}\``, output: d.offOutput ?? d.output, functional: transform || d.api.startsWith('torch.autograd.functional.'), rec: d.recording, inputs: d.inputs });
    }
    for (const b of a.events.backwards) {
      const c = m.call(b.node);
      items.push({ node: b.node, what: c?.qname === 'torch.autograd.backward' ? '`torch.autograd.backward`' : '`.backward()`', output: b.offTarget ?? b.target, functional: false, rec: b.recording });
    }
    for (const it of items) {
      const rec = it.rec;
      if (it.inputs && !it.functional && markedAfterRecordingOff(ctx, it)) continue;
      if (rec.mode === 'on' && !it.functional) {
        madeWithRecordingOff(ctx, it.node, it.what, it.output);
        continue;
      }
      if (rec.mode !== 'off' && rec.mode !== 'inference') continue;
      const cause = rec.site;
      if (!cause) continue;
      const call = m.call(it.node);
      if (!call) continue;
      const hook = /^Lightning's (\w+)/.exec(rec.why)?.[1] ?? null;
      if (it.functional) {
        // torch.autograd.functional.* run their function under enable_grad(), and torch.func transforms ignore the grad
        // mode: fine under no_grad, but under inference_mode they silently return zeros.
        if (rec.mode !== 'inference') continue;
        const applied = it.what.startsWith('`torch.func.') ? ' applied' : '';
        ctx.report({
          node: it.node,
          message:
            `${it.what}${applied} under ${hook ? `\`${hook}\` (Lightning runs it in inference mode by default)` : `\`${ctx.text(cause).replace(/^@/, '')}\``}: ` +
            'in inference mode it records nothing and silently returns zeros. Compute it outside inference mode ' +
            (hook ? '(`Trainer(inference_mode=False)`).' : '(`torch.no_grad()` is fine for it).'),
          related: [{ node: cause, message: 'inference mode starts here' }],
        });
        continue;
      }
      // A value computed with recording on and differentiated inside `no_grad` still has its graph.
      const out = tensorOfValue(it.output);
      if (out.recOff === null || requiresGrad(out)) continue;
      const outputs = outputsNode(m, call);
      if (hook) {
        const noGrad = rec.mode === 'off';
        // The hook's name node is the cause: is the derivative written in the hook itself, or in a helper it calls?
        const hookDef = cause.parent;
        const inHook = hookDef !== null && hookDef.start <= it.node.start && it.node.end <= hookDef.end;
        const place = inHook ? `in \`${hook}\`` : `in a function called from \`${hook}\` (line ${ctx.lineOf(cause)})`;
        const msg = noGrad
          ? `${it.what} ${place}: Lightning runs it under \`torch.no_grad()\` (here \`Trainer(inference_mode=False)\`), ` +
            'so nothing is recorded. Wrap the forward pass and the derivative in `torch.enable_grad()`.'
          : `${it.what} ${place}: Lightning runs it under \`torch.inference_mode()\` by default, so nothing is recorded ` +
            'and `enable_grad()` alone does not help. Use `Trainer(inference_mode=False)` and wrap the forward pass and the ' +
            'derivative in `torch.enable_grad()`.';
        const fix = noGrad && inHook ? enableGradFix(ctx, call, outputs) : null;
        const about = /^on_(?:validation|test|predict)_/.test(hook) ? `\`${hook}\`, a Lightning evaluation hook` : `\`${hook}\` of a LightningModule`;
        ctx.report({ node: it.node, message: msg, related: [{ node: cause, message: about }], fixes: fix ? [fix] : [] });
        continue;
      }
      const fnPart = /^a custom autograd\.Function's (forward|backward)/.exec(rec.why)?.[1];
      if (fnPart) {
        ctx.report({
          node: it.node,
          message:
            `${it.what} in the \`${fnPart}\` of a custom \`autograd.Function\`: PyTorch runs it with grad mode off` +
            (fnPart === 'backward' ? ' (unless the backward pass was called with `create_graph=True`)' : '') +
            ', so nothing is recorded and the derivative fails with "does not have a grad_fn". Wrap the recomputation and the ' +
            'derivative in `torch.enable_grad()`.',
          related: [{ node: cause, message: `\`${fnPart}\` of a custom autograd.Function` }],
        });
        continue;
      }
      const { where, sameFunction } = regionOf(ctx, cause, it.node, rec.loop);
      if (rec.mode === 'inference') {
        ctx.report({
          node: it.node,
          message:
            `${it.what} under ${where}: inference mode records nothing, and \`torch.enable_grad()\` inside it does not help. ` +
            'Take the derivative outside the inference-mode region.',
          related: [{ node: cause, message: 'inference mode starts here' }],
        });
        continue;
      }
      const fix = sameFunction ? enableGradFix(ctx, call, outputs) : null;
      ctx.report({
        node: it.node,
        message:
          `${it.what} under ${where}: autograd records nothing there, so the derivative fails with "does not have a grad_fn". ` +
          (rec.loop
            ? 'Switch recording back on where it was switched off (`torch.set_grad_enabled(True)`), or switch it off with a `with torch.no_grad():` block.'
            : 'Wrap the forward pass and the derivative in `torch.enable_grad()`.'),
        related: [{ node: cause, message: 'recording is switched off here' }],
        fixes: fix ? [fix] : [],
      });
    }
    // Uses that need the tensor to require grad (`retain_grad()`, `register_hook`, `assert t.requires_grad`), of a tensor
    // computed where nothing is recorded: they raise or fail as a derivative would.
    for (const e of a.events.needsGraph) {
      const rec = e.recording;
      if (rec.mode !== 'off' && rec.mode !== 'inference') continue;
      const cause = rec.site;
      if (!cause) continue;
      const t = tensorOfValue(e.offValue ?? e.value);
      if (t.recOff === null || requiresGrad(t)) continue;
      const hook = /^Lightning's (\w+)/.exec(rec.why)?.[1] ?? null;
      if (/^a custom autograd\.Function's/.test(rec.why)) continue;
      if (e.what !== 'assert' && guardedByGraphTest(ctx, e.node)) continue;
      const symptom =
        e.what === 'assert'
          ? 'the assertion fails: the tensor was computed there and does not require grad'
          : e.what === 'retain_grad'
            ? 'PyTorch raises "can\'t retain_grad on Tensor that has requires_grad=False"'
            : 'PyTorch raises "cannot register a hook on a tensor that doesn\'t require gradient"';
      const what = e.what === 'assert' ? `\`${ctx.text(e.node).split('\n')[0].replace(/,.*$/, '')}\`` : `\`.${e.what}()\``;
      const inHook = cause.parent !== null && cause.parent.start <= e.node.start && e.node.end <= cause.parent.end;
      const place = hook
        ? `${inHook ? `in \`${hook}\`` : `in a function called from \`${hook}\` (line ${ctx.lineOf(cause)})`}, which Lightning runs under \`${rec.mode === 'inference' ? 'torch.inference_mode()' : 'torch.no_grad()'}\``
        : `under ${regionOf(ctx, cause, e.node, rec.loop).where}`;
      const remedy =
        rec.mode === 'inference'
          ? hook
            ? 'Use `Trainer(inference_mode=False)` and compute the tensor inside `torch.enable_grad()`.'
            : 'Compute the tensor outside the inference-mode region (`torch.enable_grad()` inside it does not help).'
          : 'Compute the tensor inside `with torch.enable_grad():`.';
      ctx.report({
        node: e.node,
        message: `${what} ${place}: autograd records nothing there, so ${symptom}. ${remedy}`,
        related: [{ node: cause, message: hook ? `\`${hook}\`, a Lightning evaluation hook` : rec.mode === 'inference' ? 'inference mode starts here' : 'recording is switched off here' }],
      });
    }
    // A library object that differentiates inside its call (an attack's `perturb`, a Grad-CAM), called where nothing
    // is recorded: its own `backward()` raises.
    for (const e of a.events.libraryDerivatives) {
      const rec = e.recording;
      if (rec.mode !== 'off' && rec.mode !== 'inference') continue;
      const cause = rec.site;
      if (!cause) continue;
      const fn = field(e.node, 'function');
      const callee = fn ? ctx.text(fn) : 'it';
      const hook = /^Lightning's (\w+)/.exec(rec.why)?.[1] ?? null;
      if (e.library === OPTIMIZER_CLOSURE_SPEC.library && !hook) {
        // An optimizer's `step` calling the closure it is given where recording is off.
        const { where } = regionOf(ctx, cause, e.node, rec.loop);
        const fix = rec.mode === 'off' ? closureFix(ctx, e.node) : null;
        ctx.report({
          node: e.node,
          message:
            `\`${ctx.text(e.node).split('\n')[0]}\` under ${where}: ${e.why}, and autograd records nothing there, so that ` +
            '`backward()` raises "element 0 of tensors does not require grad and does not have a grad_fn". ' +
            (rec.mode === 'inference'
              ? 'Call the closure outside the inference-mode region (`torch.enable_grad()` inside it does not help).'
              : "Call it inside `with torch.enable_grad():`, as PyTorch's optimizers do."),
          related: [{ node: cause, message: rec.mode === 'inference' ? 'inference mode starts here' : 'recording is switched off here' }],
          fixes: fix ? [fix] : [],
        });
        continue;
      }
      const what = `\`${callee}(...)\``;
      const place = hook
        ? `in \`${hook}\`, which Lightning runs under \`${rec.mode === 'inference' ? 'torch.inference_mode()' : 'torch.no_grad()'}\``
        : `under ${regionOf(ctx, cause, e.node, rec.loop).where}`;
      const remedy =
        rec.mode === 'inference'
          ? hook
            ? 'Use `Trainer(inference_mode=False)` and call it inside `torch.enable_grad()`.'
            : 'Call it outside the inference-mode region (`torch.enable_grad()` inside it does not help).'
          : 'Call it outside the `no_grad` region, or inside `with torch.enable_grad():`.';
      ctx.report({
        node: e.node,
        message:
          `${what} ${place}: ${e.why}, and autograd records nothing there, so the call raises "element 0 of tensors does not ` +
          `require grad and does not have a grad_fn". ${remedy}`,
        related: [{ node: cause, message: hook ? `\`${hook}\`, a Lightning evaluation hook` : 'recording is switched off here' }],
      });
    }
    evaluatingTrainersInInferenceMode(ctx);
  },
};

/** The Trainer methods that run a module's evaluation steps (under `torch.inference_mode()` by default). */
const EVALUATING_TRAINER_METHODS = new Set(['test', 'validate', 'predict']);

/** A `Trainer(...)` construction (`pl.Trainer`, `lightning.pytorch.Trainer`, `Trainer`). */
function trainerCall(m: SemanticModel, n: PyNode | null | undefined): CallInfo | null {
  if (!n) return null;
  const u = unparen(n);
  if (u.type !== 'call') return null;
  const fn = field(u, 'function');
  if (!fn || !/(?:^|\.)Trainer$/.test(m.textOf(fn))) return null;
  return m.call(u) ?? null;
}

/**
 * `trainer.test(model)` (or `validate`, `predict`) on a Trainer built without `inference_mode=False`, in a file whose
 * other Trainer sets it: that setting says the module needs gradients in its evaluation steps (forces as -dE/dx, a
 * PDE residual), and this Trainer runs them in inference mode, where `enable_grad()` records nothing.
 */
function evaluatingTrainersInInferenceMode(ctx: RuleContext): void {
  const m = ctx.model;
  const off = m.calls.filter((c) => {
    if (!trainerCall(m, c.node)) return false;
    const kw = c.keywords.get('inference_mode');
    return kw !== undefined && m.literalBool(kw) === false;
  });
  if (off.length === 0) return;
  for (const c of m.calls) {
    if (!c.method || !EVALUATING_TRAINER_METHODS.has(c.method) || !c.receiver) continue;
    const r = unparen(c.receiver);
    let made: CallInfo | null = trainerCall(m, r);
    if (!made && r.type === 'identifier') {
      const bs = m.reachingBindings(r);
      const all = bs.map((b) => (b.kind === 'assign' && b.path.length === 0 ? trainerCall(m, b.value) : null));
      if (all.length === 0 || all.some((x) => x === null)) continue;
      if (all.some((x) => off.some((o) => o.node === x!.node))) continue;
      made = all[0];
    }
    if (!made || off.some((o) => o.node === made!.node)) continue;
    if (made.keywords.has('inference_mode') && m.literalBool(made.keywords.get('inference_mode')!) !== true) continue;
    if (made.hasKwargs) continue; // `Trainer(**config)` may set it
    ctx.report({
      node: c.node,
      message:
        `\`${m.textOf(c.receiver)}.${c.method}(...)\` runs the evaluation steps with a Trainer built without \`inference_mode=False\` ` +
        `(line ${ctx.lineOf(made.node)}), so in inference mode, while the Trainer at line ${ctx.lineOf(off[0].node)} sets ` +
        '`inference_mode=False` for this code\'s derivatives: there `enable_grad()` records nothing and the derivatives fail ' +
        'or are zero. Pass `inference_mode=False` to this Trainer too.',
      related: [
        { node: made.node, message: 'the evaluating Trainer is built here' },
        { node: off[0].node, message: 'this Trainer sets inference_mode=False' },
      ],
    });
  }
}

/**
 * A derivative taken where recording is on, of a value computed entirely where it was off (a `@torch.no_grad()`
 * helper's result, a loss computed in a `no_grad` block and differentiated after it): nothing recorded its graph, so
 * `backward()`/`grad()` raise "element 0 of tensors does not require grad". Not when anything on the value's way may
 * require grad (a leaf, a parameter, an argument nobody passes visibly, a derivative with a graph), nor when where it
 * was switched off is not known.
 */
function madeWithRecordingOff(ctx: RuleContext, node: PyNode, what: string, output: AV): void {
  const t = tensorOfValue(output);
  if (t.recOff === null || t.recOff < 0 || requiresGrad(t) || t.opaque || t.dGraph.length > 0) return;
  const cause = ctx.tree.nodes[t.recOff];
  if (!cause) return;
  const c = ctx.model.call(node);
  if (!c) return;
  if (unknownPartOutside(ctx, c, cause)) return;
  const region =
    cause.type === 'decorator'
      ? `a function decorated \`${ctx.text(cause).replace(/^@/, '')}\` (line ${ctx.lineOf(cause)})`
      : `\`${ctx.text(cause)}\` (line ${ctx.lineOf(cause)})`;
  const inference = t.inference;
  ctx.report({
    node,
    message:
      `${what} of a value computed entirely under ${region}: autograd recorded nothing for it, so the derivative raises ` +
      '"element 0 of tensors does not require grad and does not have a grad_fn" although recording is on here. Compute ' +
      (inference ? 'the value outside inference mode.' : 'the value with recording on (outside the `no_grad` region, or inside `torch.enable_grad()`).'),
    related: [{ node: cause, message: inference ? 'inference mode starts here' : 'recording is switched off here' }],
  });
}

/**
 * Where recording was switched off, for a message: a `with` block or a decorator around `node`, a
 * `torch.set_grad_enabled(False)` statement before it in the same function, or either of them in a caller.
 */
function regionOf(ctx: RuleContext, cause: PyNode, node: PyNode, loop?: PyNode): { where: string; sameFunction: boolean } {
  const m = ctx.model;
  if (cause.type === 'call' && cause.parent?.type === 'expression_statement' && loop) {
    // Left off by the previous round of a loop: the first round records, every later one does not.
    return {
      where:
        `\`${ctx.text(cause)}\` at line ${ctx.lineOf(cause)} from the second round of the loop at line ${ctx.lineOf(loop)} on ` +
        '(grad mode is global: the previous round switched it off and nothing switched it back)',
      sameFunction: false,
    };
  }
  if (cause.type === 'call' && cause.parent?.type === 'expression_statement') {
    const sameFunction = m.enclosingFunction(cause) === m.enclosingFunction(node) && cause.start < node.start;
    return {
      where: `\`${ctx.text(cause)}\` at line ${ctx.lineOf(cause)}${sameFunction ? '' : ' (grad mode is global: it is still off here, nothing switched it back)'}`,
      sameFunction,
    };
  }
  // The switch is around this code (a `with` block or a decorator of an enclosing function), or in a caller.
  let region: PyNode | null = cause;
  while (region && region.type !== 'with_statement' && region.type !== 'decorated_definition') region = region.parent;
  const sameFunction = region !== null && region.start <= node.start && node.end <= region.end;
  const where =
    (cause.type === 'decorator' ? `the decorator at line ${ctx.lineOf(cause)}` : `\`${ctx.text(cause)}\` at line ${ctx.lineOf(cause)}`) +
    (sameFunction ? '' : ', where this function is called');
  return { where, sameFunction };
}

/**
 * Wrap an optimizer's closure call in `with torch.enable_grad():` — only when the statement is the call itself
 * (`closure()`, `loss = closure()`, `return closure()`), so that nothing else starts recording. This is how
 * PyTorch's optimizers call the closure, and the only change is that the closure's forward pass and `backward()`
 * record: safe (the ground-truth test runs the fixed optimizer against `torch.optim.SGD`).
 */
function closureFix(ctx: RuleContext, call: PyNode): Fix | null {
  const m = ctx.model;
  const torch = m.moduleAlias('torch');
  if (!torch) return null;
  const stmt = m.statementOf(call);
  if (!stmt.parent || stmt.parent.type !== 'block') return null;
  let inner: PyNode | null = null;
  if (stmt.type === 'expression_statement') {
    const e = namedChildren(stmt);
    if (e.length !== 1) return null;
    inner = e[0].type === 'assignment' ? field(e[0], 'right') : e[0];
    if (e[0].type === 'assignment' && field(e[0], 'left')?.type !== 'identifier') return null;
  } else if (stmt.type === 'return_statement') inner = namedChildren(stmt)[0] ?? null;
  if (!inner || unparen(inner) !== call) return null;
  const indent = ctx.indentOf(stmt);
  const unit = indent.includes('\t') ? '\t' : '    ';
  const line = positionAt(ctx.tree.lineStarts, stmt.start).line;
  if (positionAt(ctx.tree.lineStarts, stmt.end).line !== line) return null;
  const off = ctx.tree.lineStarts[line];
  return {
    title: `Call the closure inside \`with ${torch}.enable_grad():\``,
    safe: true,
    edits: [ctx.insertAt(off, `${indent}with ${torch}.enable_grad():${ctx.eol}${unit}`)],
  };
}

/** The expression whose graph the derivative needs: `outputs` of `grad`, the receiver of `.backward()`. */
function outputsNode(m: SemanticModel, c: CallInfo): PyNode | null {
  if (c.qname === 'torch.autograd.grad') {
    const o = m.argument(c, 'outputs', 'torch.autograd.grad');
    return o.kind === 'found' ? o.node : null;
  }
  if (c.qname === 'torch.autograd.backward') return c.positional[0] ?? null;
  return c.method === 'backward' ? c.receiver : null;
}

/**
 * Whether the differentiated value is computed, outside the region where recording was off, from something the
 * analysis knows nothing of (`current_q = self.critic(obs, actions)` of an attribute set nowhere in view, mixed with a
 * target computed under `no_grad`): that part may well require grad, so the value is not surely made with recording
 * off. Reads the differentiated expression and, a few bindings deep, the values of the names it uses that are bound
 * outside the region.
 */
function unknownPartOutside(ctx: RuleContext, c: CallInfo, cause: PyNode): boolean {
  const m = ctx.model;
  let region: PyNode | null = cause;
  while (region && region.type !== 'with_statement' && region.type !== 'function_definition' && region.type !== 'decorated_definition') region = region.parent;
  const start = outputsNode(m, c) ?? c.positional[0] ?? null;
  if (!start) return false;
  const seen = new Set<number>();
  let level: PyNode[] = [start];
  for (let depth = 0; depth < 4 && level.length > 0; depth++) {
    const next: PyNode[] = [];
    for (const e of level) {
      if (seen.has(e.id) || (region && contains(region, e))) continue;
      seen.add(e.id);
      let unknown = false;
      walk(e, (n) => {
        if (unknown || n.type === 'lambda') return false;
        if (n.type === 'call') {
          // A call of code nothing is known of (its value has no tensor facts at all): it may run a model.
          const v = ctx.analysis.values.get(n.id);
          if (v && isKind(v, Kind.UNKNOWN) && !v.t) unknown = true;
        }
        if (n.type === 'identifier' && m.isUse(n)) for (const b of m.reachingBindings(n)) if (b.value) next.push(b.value);
        return undefined;
      });
      if (unknown) return true;
    }
    level = next;
  }
  return false;
}

/**
 * A `retain_grad()`/`register_hook` call inside an `if` that tests its tensor for a graph first (`if tsr.grad_fn is
 * not None: tsr.grad_fn.register_hook(hook)`, `if x.requires_grad: x.register_hook(h)`, GPyTorch's cache hook): where
 * nothing is recorded the branch is not taken.
 */
function guardedByGraphTest(ctx: RuleContext, node: PyNode): boolean {
  const fnNode = field(node, 'function');
  const recv = fnNode?.type === 'attribute' ? field(fnNode, 'object') : null;
  if (!recv) return false;
  // The tensor the call is about: `tsr` of `tsr.grad_fn.register_hook(...)` and of `tsr.register_hook(...)`.
  const base = ctx.text(recv).replace(/\s+/g, '').replace(/\.grad_fn$/, '');
  const esc = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const test = new RegExp(`^(?:${esc}\\.grad_fn\\s+is\\s+not\\s+None|${esc}\\.requires_grad)$`);
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda') return false;
    if (p.type !== 'if_statement') continue;
    const cond = field(p, 'condition');
    const body = field(p, 'consequence');
    if (!cond || !body || body.start > node.start || node.end > body.end) continue;
    const parts = ctx.text(cond).split(/\s+and\s+/).map((c) => c.trim().replace(/^\((.*)\)$/, '$1'));
    if (parts.some((c) => test.test(c))) return true;
  }
  return false;
}
