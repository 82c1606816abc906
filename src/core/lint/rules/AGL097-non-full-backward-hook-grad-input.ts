/**
 * AGL097 non-full-backward-hook-grad-input: a module backward hook registered with `register_backward_hook` (the
 * non-full, deprecated hook) reads or replaces its `grad_input` on a module that is not known to be one autograd
 * operation. PyTorch attaches such a hook to the *last* autograd node of the module's forward, so `grad_input` holds
 * the gradients of that node's inputs, not of the module's inputs: for a block or a whole model it is the gradient
 * inside the last operation, for `nn.Linear` its first item is the bias's gradient. The question to the model: the
 * hook function (a `def`, a method, a lambda, or the function a factory of the file returns), its `grad_input`
 * parameter and the reads of it that no `isinstance(module, <one-operation module>)` guard covers, and what the
 * receiver of the registration is (an instance of such a module, or not known to be one).
 */
import { MULTI_NODE_MODULES, SINGLE_NODE_MODULES } from '../knowledge/torch';
import type { Rule, RuleContext } from '../rule';
import { bindingValue, type Binding, type CallInfo, type FunctionInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { functionAt } from '../custom-rules';

const GLOBAL_NON_FULL = /^torch\.nn\.modules\.module\.register_module_backward_hook$/;

/** The class names an `isinstance(x, C)` / `isinstance(x, (C, D))` / `type(x) is C` / `type(x) == C` condition tests `x` against. */
function testedClasses(m: SemanticModel, cond: PyNode, subject: (n: PyNode) => boolean): PyNode[] | null {
  const u = unparen(cond);
  if (u.type === 'call') {
    const c = m.call(u);
    if (c?.qname !== 'isinstance' || c.positional.length !== 2 || !subject(c.positional[0])) return null;
    const k = unparen(c.positional[1]);
    return k.type === 'tuple' ? namedChildren(k) : [k];
  }
  if (u.type === 'comparison_operator') {
    const [l, r] = namedChildren(u);
    if (!l || !r || namedChildren(u).length !== 2 || !/\b(?:is|==)\s*$/.test(m.textOf(u).slice(l.end - u.start, r.start - u.start))) return null;
    const lc = unparen(l).type === 'call' ? m.call(unparen(l)) : undefined;
    if (lc?.qname !== 'type' || lc.positional.length !== 1 || !subject(lc.positional[0])) return null;
    return [r];
  }
  return null;
}

function isSingleNodeClass(m: SemanticModel, cls: PyNode): boolean {
  const q = m.qualifiedName(unparen(cls));
  return !!q && SINGLE_NODE_MODULES.test(q);
}

/** Whether `cond` says `x` is a one-operation module (`negated`: says it is not, `not isinstance(...)`). */
function guardsSingleNode(m: SemanticModel, cond: PyNode, subject: (n: PyNode) => boolean, negated: boolean): boolean {
  let u = unparen(cond);
  if (negated) {
    if (u.type !== 'not_operator') return false;
    const a = field(u, 'argument');
    if (!a) return false;
    u = unparen(a);
  }
  const classes = testedClasses(m, u, subject);
  return !!classes && classes.length > 0 && classes.every((k) => isSingleNodeClass(m, k));
}

/**
 * Whether `node` runs only when `subject` is a one-operation module: inside the body of an `if isinstance(subject, ReLU)`
 * (up to `stop`), or after an `if not isinstance(subject, ReLU): return/continue` of an enclosing block.
 */
function guarded(m: SemanticModel, node: PyNode, stop: PyNode, subject: (n: PyNode) => boolean): boolean {
  for (let n: PyNode = node; n.parent && n !== stop; n = n.parent) {
    const p = n.parent;
    if (p.type === 'if_statement' && n.field === 'consequence') {
      const cond = field(p, 'condition');
      if (cond && guardsSingleNode(m, cond, subject, false)) return true;
    }
    if (p.type === 'block') {
      for (const s of namedChildren(p)) {
        if (s === n) break;
        if (s.type !== 'if_statement') continue;
        const cond = field(s, 'condition');
        const body = field(s, 'consequence');
        const last = body ? namedChildren(body).at(-1) : null;
        if (cond && last && /^(?:return|continue)_statement$/.test(last.type) && guardsSingleNode(m, cond, subject, true)) return true;
      }
    }
  }
  return false;
}

/** The class a method's `self` belongs to (the class_definition around the method), or null. */
function classOfSelf(m: SemanticModel, n: PyNode): PyNode | null {
  const u = unparen(n);
  if (u.type !== 'identifier' || !m.isUse(u)) return null;
  const bs = m.reachingBindings(u);
  const b = bs.length === 1 ? bs[0] : null;
  if (!b || b.kind !== 'param' || !b.param || b.param.index !== 0 || !b.param.fn.isMethod || b.param.fn.decorators.includes('staticmethod')) return null;
  return m.classOfMethod(b.param.fn);
}

/** The hook function an argument names: a def or lambda, `self.method`, or the nested function a factory call returns. */
function hookFunction(m: SemanticModel, arg: PyNode, depth = 0): FunctionInfo | null {
  const u = unparen(arg);
  if (depth > 2) return null;
  if (u.type === 'lambda' || u.type === 'identifier') return functionAt(m, u) ?? null;
  if (u.type === 'attribute') {
    const o = field(u, 'object');
    const a = field(u, 'attribute');
    const cls = o ? classOfSelf(m, o) : null;
    return cls && a ? m.localMethod(cls, m.textOf(a)) : null;
  }
  if (u.type === 'call') {
    const callee = field(u, 'function');
    const factory = callee ? hookFunction(m, callee, depth + 1) : null;
    if (!factory || factory.returns.length !== 1) return null;
    const r = unparen(factory.returns[0]);
    const inner = r.type === 'identifier' || r.type === 'lambda' ? functionAt(m, r) : undefined;
    return inner && inner !== factory ? inner : null;
  }
  return null;
}

/** A hook's `(module, grad_input)` parameters (after `self` for a method), or null. */
function hookParams(f: FunctionInfo): { module: Binding; gradInput: Binding } | null {
  if (f.params.some((p) => p.param?.star !== 'none')) return null;
  const own = f.isMethod && !f.decorators.includes('staticmethod') ? f.params.slice(1) : f.params;
  if (own.length !== 3) return null;
  return { module: own[0], gradInput: own[1] };
}

/** A read of `grad_input` that takes a gradient from it (not `return grad_input` unchanged, not `len(grad_input)`). */
function readsValue(m: SemanticModel, use: PyNode): boolean {
  let n = use;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return true;
  if (p.type === 'return_statement') return false;
  if (p.type === 'comparison_operator' && /\bis\b/.test(m.textOf(p))) return false;
  if (p.type === 'argument_list' && p.parent?.type === 'call') {
    const c = m.call(p.parent);
    if (c?.qname && /^(?:len|isinstance|type|print)$/.test(c.qname)) return false;
  }
  return true;
}

/** The calls a local class's `forward` makes (0 when it has none of its own). */
function forwardCalls(m: SemanticModel, cls: PyNode): number {
  const fwd = m.localMethod(cls, 'forward');
  return fwd ? m.calls.filter((c) => m.enclosingFunction(c.node) === fwd).length : 0;
}

/**
 * What the registration's receiver is known to be: `multi` (several autograd operations, or `nn.Linear`), with why;
 * `single` (one operation whose first input is the module's); null when not known. Only `multi` is reported: the
 * first layer of a model's `features`, a parameter `layer`, are usually a convolution, where the hook is right.
 */
function receiverKind(m: SemanticModel, call: CallInfo): { kind: 'multi' | 'single'; why: string } | null {
  const r0 = call.receiver ? unparen(call.receiver) : null;
  if (!r0) return null;
  const sameReceiver = (n: PyNode): boolean => m.textOf(unparen(n)) === m.textOf(r0);
  if (guarded(m, call.node, m.tree.root, sameReceiver)) return { kind: 'single', why: '' };
  // `module[1]` of `for module in model.named_modules()`.
  const r = r0.type === 'subscript' ? unparen(field(r0, 'value') ?? r0) : r0;
  const cls = classOfSelf(m, r);
  if (cls) {
    const bases = field(cls, 'superclasses');
    if (bases && namedChildren(bases).some((b) => isSingleNodeClass(m, b))) return { kind: 'single', why: '' };
    return r === r0 && forwardCalls(m, cls) >= 2 ? { kind: 'multi', why: 'a module whose `forward` makes several operations' } : null;
  }
  if (r.type !== 'identifier' || !m.isUse(r)) return null;
  const bs = m.reachingBindings(r);
  if (bs.length === 0) return null;
  const kinds = bs.map((b): { kind: 'multi' | 'single'; why: string } | null => {
    const v = b.kind === 'for' ? b.value : bindingValue(b);
    if (!v) return null;
    const u = unparen(v);
    if (b.kind === 'for') {
      // Every module of a model, the model itself first: its `grad_input` is that of the model's last operation.
      const c = u.type === 'call' ? m.call(u) : undefined;
      return c?.method && /^(?:named_)?modules$/.test(c.method) ? { kind: 'multi', why: `every module \`${m.textOf(u)}\` yields (the model itself and its blocks among them)` } : null;
    }
    if (b.kind !== 'assign' || b.path.length !== 0 || u.type !== 'call' || r !== r0) return null;
    const c = m.call(u);
    if (c?.qname && SINGLE_NODE_MODULES.test(c.qname)) return { kind: 'single', why: '' };
    if (c?.qname && MULTI_NODE_MODULES.test(c.qname)) return { kind: 'multi', why: `a \`${c.qname.replace(/^torch\.nn\./, 'nn.')}\`` };
    const local = m.localClassOf(field(u, 'function'));
    return local && forwardCalls(m, local) >= 2 ? { kind: 'multi', why: 'a module whose `forward` makes several operations' } : null;
  });
  if (kinds.some((k) => k === null || k.kind === 'single')) return kinds.every((k) => k?.kind === 'single') ? { kind: 'single', why: '' } : null;
  return kinds[0];
}

function check(ctx: RuleContext): void {
  const m = ctx.model;
  if (!m.fileFact('torch-word')) return;
  for (const c of m.calls) {
    const nonFull = (c.method === 'register_backward_hook' && !!c.receiver) || (!!c.qname && GLOBAL_NON_FULL.test(c.qname));
    if (!nonFull || c.positional.length !== 1) continue;
    const hook = hookFunction(m, c.positional[0]);
    const params = hook ? hookParams(hook) : null;
    if (!hook || !params) continue;
    const receiver = c.method ? receiverKind(m, c) : { kind: 'multi', why: 'every module (models and blocks among them)' };
    if (receiver?.kind !== 'multi') continue;
    const isModule = (n: PyNode): boolean => {
      const u = unparen(n);
      return u.type === 'identifier' && m.isUse(u) && m.reachingBindings(u).includes(params.module);
    };
    const read = m.usesOf(params.gradInput).find((u) => readsValue(m, u) && !guarded(m, u, hook.node, isModule));
    if (!read) continue;
    const gi = params.gradInput.name;
    ctx.report({
      node: c.node,
      message:
        `\`${ctx.text(field(c.node, 'function') ?? c.node)}\` registers \`${hook.name}\` as a non-full module backward hook, and the hook ` +
        `reads \`${gi}\` of ${receiver.why}: PyTorch attaches such a hook to the ` +
        `last autograd operation of the module's forward, so \`${gi}\` holds the gradients of that operation's inputs, not of the ` +
        "module's (for a block or a model, the gradient inside its last operation; for `nn.Linear`, the bias's gradient first). " +
        'PyTorch deprecates it for this reason. Use `register_full_backward_hook`, whose `grad_input` is the gradient of the ' +
        "module's inputs (or read `grad_output`, or a tensor hook on the activation).",
      related: [{ node: read, message: `\`${gi}\` read here` }],
    });
  }
}

export const AGL097: Rule = {
  meta: {
    code: 'AGL097',
    name: 'non-full-backward-hook-grad-input',
    summary:
      'A `register_backward_hook` (non-full) hook reads `grad_input` on a module that is not one operation: it gets the gradients of the last operation inside the module, not of the module\'s inputs.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `module.register_backward_hook(hook)` (and `torch.nn.modules.module.register_module_backward_hook(hook)`, ' +
        'which hooks every module) where the hook, a function of the file (a `def`, a method such as `self.save_gradient`, ' +
        'a lambda, or the function a factory of the file returns), reads or replaces its second argument `grad_input` ' +
        'outside an `isinstance(module, nn.ReLU)` guard, and the module is known to be several autograd operations or ' +
        '`nn.Linear`: every module a loop over `model.modules()` / `model.named_modules()` yields (the model itself first), ' +
        'a name bound to `nn.Sequential(...)`, `nn.Linear(...)`, a recurrent or attention layer, a torchvision/timm model or ' +
        'a module class of the file whose `forward` makes several calls, or `self` in such a class. A registration guarded ' +
        'by `isinstance(module, <activation, convolution or pooling>)` (also `if not isinstance(...): continue`) is not ' +
        'reported, nor hooks that read only `grad_output` or the module.\n\n' +
        'The question to the analysis: what the hook reads (its parameters, the guards around each read), and what the ' +
        'receiver is (its bindings, the loop that yields it, the class of `self`; modules as data in `knowledge/torch.ts`).',
      whyIsThisBad:
        'A non-full backward hook is attached to the grad_fn of the module\'s output, the last autograd node of its forward. ' +
        '`grad_input` is what that node passes back: for a residual block, a model or an `nn.Sequential` it is the gradient of ' +
        'the last operation\'s inputs (inside the module); for `nn.Linear` (one `addmm`) its first item is the bias\'s gradient, ' +
        'not the input\'s. A hook that stores it as "the gradient of the layer input", or returns a clamped copy to change what ' +
        'flows into the module (guided backpropagation), acts on the wrong tensor and nothing fails. PyTorch 1.13 warns "Using ' +
        'a non-full backward hook when the forward contains multiple autograd Nodes is deprecated and will be removed in ' +
        'future versions. This hook will be missing some grad_input" and deprecates `register_backward_hook` in favour of ' +
        '`register_full_backward_hook` (jacobgil/pytorch-grad-cam stored `grad_input[0]` of the target layer for Grad-CAM, ' +
        '"Fix gradient used"; kazuto1011/grad-cam-pytorch registered the guided-backpropagation hook on every module).',
      example:
        '```python\nclass Gradients:\n    def __init__(self, layer):\n        self.grads = []\n' +
        '        layer.register_backward_hook(self.save)\n\n    def save(self, module, grad_input, grad_output):\n' +
        '        self.grads.append(grad_input[0])   # last operation\'s input gradient\n```',
      useInstead:
        '```python\n        layer.register_full_backward_hook(self.save)   # grad_input: the layer\'s inputs\n' +
        '        # (for Grad-CAM, the gradient of the layer\'s output: grad_output[0])\n```',
      knownProblems:
        'Only receivers the file shows to be several operations are reported: a hook on a parameter `layer` or on ' +
        '`model.layer4[-1]` (a residual block in torchvision\'s ResNet, where the hook is wrong) is not, since the same ' +
        'code on a convolution (the first layer of a VGG\'s `features`) is right. A loop over `children()` is not taken as ' +
        'reaching blocks. A hook passed through `functools.partial`, a variable holding one of several functions, or a ' +
        'function imported from another module is not read. `register_full_backward_hook` is not reported (its ' +
        '`grad_input` is the gradient of the module\'s inputs).',
      fixSafety: 'No automatic fix: the full hook is called with different tuples (and raises on in-place changes of the module\'s output).',
      references: [
        '[torch.nn.Module.register_backward_hook (deprecated)](https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.register_backward_hook)',
        '[torch.nn.Module.register_full_backward_hook](https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.register_full_backward_hook)',
        '[kazuto1011/grad-cam-pytorch#2: guided backpropagation hooks](https://github.com/kazuto1011/grad-cam-pytorch/issues/2)',
      ],
    },
  },
  check,
};
