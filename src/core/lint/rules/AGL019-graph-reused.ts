/**
 * AGL019 graph-reused: a backward pass (`.backward()`, `torch.autograd.grad`) through a graph that an
 * earlier backward already freed (no `retain_graph=True`), or that saved parameters `optimizer.step()`
 * has changed in place since. PyTorch raises "Trying to backward through the graph a second time" or
 * "one of the variables needed for gradient computation has been modified by an inplace operation".
 *
 * Asked of the analysis: values carry the backward sites that freed their graph (`freed`) and the
 * optimizer steps that made it stale (`stale`); a backward through such a value is a `GraphReuseEvent`.
 */
import type { Rule, RuleContext } from '../rule';
import { field, unparen, walk, type PyNode } from '../tree';

export const AGL019: Rule = {
  meta: {
    code: 'AGL019',
    name: 'graph-reused',
    summary: 'A backward pass through a graph already freed by an earlier backward, or built before `optimizer.step()` changed the weights.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Follows the graph a value holds (the model calls and derivatives it was computed through). After `.backward()` or ' +
        '`torch.autograd.grad` without `retain_graph=True`, that graph is freed (by `autograd.grad(y, inputs)`, only the part between `y` and the inputs: the graph behind the ' +
        'inputs, such as the clone of a model whose parameters are differentiated, is not run); after `optimizer.step()`, every graph that ' +
        'saved the stepped parameters is stale. A later backward through a value computed from either is reported: typically ' +
        'a generator output computed once and reused across several update steps, two `autograd.grad` calls on one energy ' +
        '(forces, then stress), or a loss on an old discriminator output after the VAE step. A layer or `Sequential` made in the ' +
        'file with trainable weights records a graph whatever its input (a batch of unknown origin): an LSTM state carried ' +
        'from batch to batch, two losses on one trunk each backpropagated, a running total of losses backpropagated every ' +
        'batch. An optimizer made in view over an unseen model\'s `.parameters()` updates the weights behind that model\'s ' +
        'calls (an actor\'s loss through the critic, differentiated after the critic\'s step). A nonlinear operation on a ' +
        'tensor that requires grad (`torch.sin(x)`, `x ** 3`, `torch.exp(...)`) saves its input or output and is part of the ' +
        'graph too, with no model in view: `y.backward()` twice, or `autograd.grad(energy, x)` then `energy.backward()`.',
      whyIsThisBad:
        'PyTorch frees the intermediate buffers of a graph during backward unless `retain_graph=True`; a second backward ' +
        'through them raises "Trying to backward through the graph a second time". Layers save their weights for backward; ' +
        '`optimizer.step()` updates them in place, bumping their version, and a backward through a graph built before the ' +
        'step raises "one of the variables needed for gradient computation has been modified by an inplace operation". Adding ' +
        '`retain_graph=True` to silence the first error is a common wrong fix: it then fails with the second, or trains on ' +
        'gradients of old weights.',
      example: [
        '```python',
        'fake = G(z)',
        'for step in range(n_steps_G):',
        '    loss_G = -D(fake).mean()',
        '    loss_G.backward()          # second iteration: the graph of G(z) was freed by the first',
        '    opt_G.step()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'for step in range(n_steps_G):',
        '    fake = G(z)                # recompute the graph in every step',
        '    loss_G = -D(fake).mean()',
        '    loss_G.backward()',
        '    opt_G.step()',
        '```',
      ].join('\n'),
      knownProblems:
        'Of graphs without a model, only nonlinear operations are taken as parts that a backward frees; PyTorch frees the ' +
        'nodes of a linear graph too (`(2 * x).sum()` backpropagated twice raises), which is missed. A derivative taken with ' +
        '`create_graph=True` is not taken to run the nonlinear operations of its output when it is differentiated (the ' +
        'derivative of `x ** 3` reads `x`, not the power), so a `tanh` whose saved output the second backward does free is ' +
        'missed. Graphs are followed through variables of one function and the calls it makes; values kept in object attributes ' +
        '(`self.fake_B`) between methods are not marked. `retain_graph` given as a variable is trusted. A call of a variable ' +
        'named for a class (`cls`, `optimizer_cls`, `step_class`) is taken to make an instance, not a model\'s output, so an ' +
        'object built once from it holds no graph (a model made that way still records one when it is called). A call of ' +
        'code not in view records a graph of its own that a backward can free only when some part of its name is ' +
        'model-like (`self.critic(...)`, `net(x)`, `self.actor.action_log_prob(...)`) or it is given a tensor the file ' +
        'shows; a schedule or a buffer read with configuration (`self.clip_range(progress)`, `buffer.sample(batch_size)`, ' +
        '`mvn.sample(torch.Size([n]))`) is not taken for a model\'s output. An optimizer kept on an object ' +
        '(`self.critic.optimizer.step()`) makes stale only the graphs of calls through that object; an optimizer the analysis cannot see ' +
        'is matched with the calls of unseen models by its name (`optimizer_G` with `netG(...)`, `optimizer_disc` with ' +
        '`feature_discriminator(...)`: a suffix of three letters or more that begins a word of the model\'s name). A graph built from ' +
        'parameters of one optimizer is marked stale by another optimizer\'s `step()` when the analysis cannot see which ' +
        'parameters that optimizer holds. A call of a name the analysis cannot see that is written as a class name (CapWords, ' +
        'or an acronym like `MAML`) is taken for a constructor whose result holds no graph of its own; a model instance ' +
        'named that way (`MyNet(x)` on data) is missed. A loss made and differentiated in a loop under the same test ' +
        '(`if args.do_mask:` twice, of names nothing between the two assigns) is taken to be made in every iteration that ' +
        'differentiates it; the analysis merges the branches of the first test and would otherwise see an earlier ' +
        'iteration\'s freed graph. A tensor marked `x.requires_grad = True` after a call the analysis cannot see is taken to ' +
        'be a fresh leaf (PyTorch raises on a non-leaf), not that call\'s graph; so is `x.requires_grad_(True)` when all of `x`\'s ' +
        'history is guessed through a helper not taken for a model. Helpers named for building things (`build_*`, `create_*`, `make_*`, ' +
        '`init_*`, `load_*`) or searching (`optimize_*`, `minimize_*`) and names the code calls or asks for `.parameters()` hold models and objects, not graphs. A buffer ' +
        '(`self.register_buffer("table", t)`) is the tensor it was given, and a value of unseen origin whose method no tensor or array ' +
        'has (`step.to_image(x)` of an attack\'s step object) is an object, not a graph its method\'s result would share. An ' +
        'optimizer over a written list of single tensors that are no model\'s parameters (`Adam([self.log_alpha])`) makes no ' +
        'graph stale; one over `X.parameters()` of an unseen model is matched to the calls written `X(...)` only. The graph ' +
        'of plain tensor operations on leaves (`Y = X @ w_true` made once before the loop) is not followed.',
      fixSafety: 'No fix: recomputing the forward pass, detaching, or retaining the graph each change what is trained.',
      references: ['[Autograd mechanics: saved tensors](https://pytorch.org/docs/stable/notes/autograd.html#saved-tensors)'],
    },
  },

  check(ctx) {
    for (const ev of ctx.analysis.events.graphReuses) {
      const freed = ev.freed.map((id) => ctx.tree.nodes[id]).filter((n): n is PyNode => !!n);
      const stale = ev.stale.map((id) => ctx.tree.nodes[id]).filter((n): n is PyNode => !!n);
      if ((freed.length > 0 || stale.length > 0) && guardedAlike(ctx, ev.node)) continue;
      if (freed.length > 0) {
        const b = freed[0];
        ctx.report({
          node: ev.node,
          message:
            `This backward pass goes through a graph that the backward at line ${ctx.lineOf(b)} already freed (it has no ` +
            '`retain_graph=True`): PyTorch raises "Trying to backward through the graph a second time". Recompute the forward ' +
            'pass before this step, or pass `retain_graph=True` to the earlier backward if both really need the same graph.',
          related: freed.map((n) => ({ node: n, message: 'the graph is freed here' })),
        });
      } else if (stale.length > 0) {
        const s = stale[0];
        ctx.report({
          node: ev.node,
          message:
            `This backward pass goes through a graph built before \`optimizer.step()\` at line ${ctx.lineOf(s)} changed the ` +
            'parameters it saved: PyTorch raises "one of the variables needed for gradient computation has been modified by an ' +
            'inplace operation". Compute this loss before the step, or recompute the forward pass after it.',
          related: stale.map((n) => ({ node: n, message: 'the parameters are changed in place here' })),
        });
      }
    }
  },
};

/**
 * The innermost `if` (below `stop`) whose body — not an `elif`/`else` — holds `n`, and the text of its condition; null
 * when there is none or the condition is not a plain test of names, attributes and literals.
 */
function guardOf(ctx: RuleContext, n: PyNode, stop: PyNode): { text: string; cond: PyNode } | null {
  for (let c: PyNode = n, p = n.parent; p && p !== stop; c = p, p = p.parent) {
    if (p.type === 'elif_clause' || p.type === 'else_clause') return null;
    if (p.type !== 'if_statement') continue;
    if (c.field !== 'consequence') return null;
    const cond = field(p, 'condition');
    if (!cond) return null;
    let plain = true;
    walk(cond, (x) => {
      if (x.type === 'call' || x.type === 'subscript' || x.type === 'lambda' || x.type === 'await') plain = false;
      return plain;
    });
    return plain ? { text: ctx.text(unparen(cond)).replace(/\s+/g, ' '), cond } : null;
  }
  return null;
}

/**
 * A loop that rebinds the differentiated value and runs the backward under the same test (`if args.do_mask: loss_B =
 * ...` and later `if args.do_mask: loss_B.backward()`), a test of names the loop never assigns: the value the backward
 * sees was made earlier in the same iteration. An iteration where the binding is skipped skips the backward too, so the
 * previous iteration's freed graph (what the analysis sees along the loop's back edge, having merged both branches of
 * the first test) is never reached.
 */
function guardedAlike(ctx: RuleContext, node: PyNode): boolean {
  const call = ctx.model.call(node);
  if (!call) return false;
  const firstArg = field(node, 'arguments')?.children.find((c) => c.type !== 'keyword_argument' && c.type !== 'comment') ?? null;
  const target = call.method === 'backward' ? call.receiver : firstArg;
  const recv = target ? unparen(target) : null;
  if (!recv || recv.type !== 'identifier') return false;
  const loop = ctx.model.loopOf(node);
  if (!loop) return false;
  const guard = guardOf(ctx, node, loop);
  if (!guard) return false;
  const names = new Set<string>();
  walk(guard.cond, (x) => {
    if (x.type === 'identifier' && x.field !== 'attribute') names.add(ctx.text(x));
    return true;
  });
  // The test's names (an attribute's base counts for the attribute) keep their value from the binding's test to the
  // backward's: nothing between the two assigns them.
  const assignedBetween = (from: number): boolean =>
    ctx.model.bindings.some((b) => names.has(b.name) && b.stmt.start >= from && b.stmt.start < node.start && b.stmt.start >= loop.start) ||
    ctx.model.mutations.some((mu) => names.has(mu.name) && mu.stmt.start >= from && mu.stmt.start < node.start && mu.stmt.start >= loop.start);
  const reach = ctx.model.reachingBindings(recv);
  if (reach.length === 0) return false;
  return reach.every((b) => {
    if (b.stmt.start < loop.start || b.stmt.end > loop.end || b.stmt.start > node.start) return false;
    const g = guardOf(ctx, b.stmt, loop);
    return !!g && g.text === guard.text && !assignedBetween(g.cond.start);
  });
}
