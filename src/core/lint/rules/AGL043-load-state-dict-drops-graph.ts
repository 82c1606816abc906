/**
 * AGL043 load-state-dict-drops-graph: `model.load_state_dict(d)` / `vector_to_parameters(v, params)` given
 * tensors that contain a derivative taken with a graph (MAML fast weights `w - lr * g` with `g` from
 * `autograd.grad(..., create_graph=True)`). Both copy values into the parameters without autograd
 * (`load_state_dict` under `torch.no_grad()`, `vector_to_parameters` through `param.data`), so the loaded
 * model's outputs do not depend on the derivative and the second-order terms are lost (measured by
 * test/fixtures/lint/AGL043/bad.py: the meta-gradient disagrees with finite differences of the meta-objective).
 */
import type { AV } from '../analysis';
import type { Rule } from '../rule';
import type { CallInfo } from '../semantic';
import { field, unparen, type PyNode } from '../tree';

/** Derivative sites with a graph held by the value, its elements or its dict values (one level). */
function graphDerivatives(v: AV | undefined): number[] {
  if (!v) return [];
  const out = new Set<number>(v.t?.dGraph ?? []);
  for (const x of [v.elem, ...(v.items ?? []), ...(v.keys ? [...v.keys.values()] : [])]) for (const d of x?.t?.dGraph ?? []) out.add(d);
  return [...out].sort((a, b) => a - b);
}

function loadedValue(call: CallInfo): { arg: CallInfo['positional'][number]; api: string } | null {
  if (call.method === 'load_state_dict') {
    const arg = call.positional[0] ?? call.keywords.get('state_dict');
    return arg ? { arg, api: '`load_state_dict`' } : null;
  }
  if (call.qname === 'torch.nn.utils.vector_to_parameters' || call.qname === 'torch.nn.utils.convert_parameters.vector_to_parameters') {
    const arg = call.positional[0] ?? call.keywords.get('vec');
    return arg ? { arg, api: '`vector_to_parameters`' } : null;
  }
  return null;
}

export const AGL043: Rule = {
  meta: {
    code: 'AGL043',
    name: 'load-state-dict-drops-graph',
    summary: 'Fast weights built from a derivative taken with a graph are loaded with `load_state_dict` (or `vector_to_parameters`), which copies them without autograd: the second-order terms are lost.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `model.load_state_dict(d)`, `torch.nn.utils.vector_to_parameters(v, params)` and writes through `.data` ' +
        '(`p.data = v`, `p.data -= v`, `p.data.copy_(v)`) where the loaded tensors ' +
        'contain a derivative taken with `create_graph=True`: the fast weights of a MAML-style inner loop ' +
        '(`fast[name] = w - lr * g` with `g = torch.autograd.grad(loss, params, create_graph=True)`).',
      whyIsThisBad:
        '`load_state_dict` copies each value into the existing parameter inside `torch.no_grad()`, and ' +
        '`vector_to_parameters` assigns `param.data`: neither is recorded by autograd. The loaded model\'s outputs depend ' +
        'on the parameters as leaves, not on the fast weights, so the query loss has no path through the inner step and ' +
        'its gradient is the first-order approximation; `create_graph=True` only costs memory. Nothing fails, the ' +
        'meta-learning is silently first-order (MeLU issue 9). Note also that `state_dict()` returns detached tensors, so ' +
        'fast weights computed from it do not depend on the parameters either.',
      example: [
        '```python',
        'grad = torch.autograd.grad(loss, model.parameters(), create_graph=True)',
        'fast = OrderedDict((n, w - lr * g) for (n, w), g in zip(model.named_parameters(), grad))',
        'model.load_state_dict(fast)          # copied without autograd',
        'query_loss = F.mse_loss(model(x_query), y_query)',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'from torch.func import functional_call   # torch.nn.utils.stateless.functional_call before 2.0',
        '',
        'grad = torch.autograd.grad(loss, model.parameters(), create_graph=True)',
        'fast = {n: w - lr * g for (n, w), g in zip(model.named_parameters(), grad)}',
        'query_loss = F.mse_loss(functional_call(model, fast, (x_query,)), y_query)',
        '```',
      ].join('\n'),
      knownProblems:
        'Only derivatives taken with a graph are a reason to report: loading fast weights built from graphless ' +
        'gradients (first-order MAML, Reptile) is what those methods do. Writes through `.data` (`p.data = w`, ' +
        '`p.data -= lr * g`, `p.data.copy_(w)`) are reported the same way; `p.copy_(w)` under `no_grad` is not checked.',
      fixSafety: 'No automatic fix: the forward pass has to be rewritten to take the fast weights as arguments.',
      references: [
        '[torch.nn.Module.load_state_dict](https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.load_state_dict)',
        '[torch.func.functional_call](https://pytorch.org/docs/stable/generated/torch.func.functional_call.html)',
        '[hoyeoplee/MeLU#9: the local update is loaded with load_state_dict, so the global update is first-order](https://github.com/hoyeoplee/MeLU/issues/9)',
      ],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    // `p.data = w - lr * g`, `p.data -= lr * g`, `p.data.copy_(w - lr * g)`: the same copy without autograd.
    const dataWrites: { node: PyNode; value: PyNode; what: string }[] = [];
    for (const m of ctx.model.mutations) {
      if (m.kind !== 'attribute' || m.attr !== 'data') continue;
      const value = m.value.type === 'augmented_assignment' ? field(m.value, 'right') : m.value;
      if (value) dataWrites.push({ node: m.stmt, value, what: `\`${ctx.text(m.target)} = ...\`` });
    }
    for (const call of ctx.model.calls) {
      const recv = call.receiver ? unparen(call.receiver) : null;
      if (call.method !== 'copy_' || !recv || recv.type !== 'attribute' || ctx.text(field(recv, 'attribute') ?? recv) !== 'data') continue;
      const value = call.positional[0];
      if (value) dataWrites.push({ node: call.node, value, what: `\`${ctx.text(recv)}.copy_(...)\`` });
    }
    for (const w of dataWrites) {
      const ds = graphDerivatives(a.values.get(w.value.id));
      if (ds.length === 0) continue;
      const d = ctx.tree.nodes[ds[0]];
      ctx.report({
        node: w.node,
        message:
          `${w.what} writes \`${ctx.text(w.value).slice(0, 60)}\` into the tensor's data without autograd, but it holds the ` +
          `derivative taken with a graph at line ${ctx.lineOf(d)}: what is computed with the tensor afterwards does not depend ` +
          'on that derivative, so the second-order terms are lost. Keep the new weights as tensors and evaluate the model with ' +
          'them (`torch.func.functional_call(model, fast_weights, (x,))`).',
        related: [{ node: d, message: 'the derivative with a graph' }],
      });
    }
    for (const call of ctx.model.calls) {
      const l = loadedValue(call);
      if (!l) continue;
      const ds = graphDerivatives(a.values.get(l.arg.id));
      if (ds.length === 0) continue;
      const d = ctx.tree.nodes[ds[0]];
      ctx.report({
        node: call.node,
        message:
          `${l.api} copies \`${ctx.text(l.arg).slice(0, 60)}\` into the parameters without autograd, but those tensors hold the ` +
          `derivative taken with a graph at line ${ctx.lineOf(d)}: the loaded model's outputs do not depend on it, so the ` +
          'second-order terms are lost and the meta-gradient is first-order. Evaluate the model with the fast weights instead ' +
          '(`torch.func.functional_call(model, fast_weights, (x,))`).',
        related: [{ node: d, message: 'the derivative with a graph' }],
      });
    }
  },
};
