/**
 * Whether autograd records at a code position, read from the syntax: the enclosing `with` statements
 * (`torch.no_grad()`, `torch.inference_mode()`, `torch.set_grad_enabled(...)`, `torch.enable_grad()`), the enclosing
 * function's decorators, and Lightning's evaluation hooks (`validation_step`, `test_step`, `predict_step`, run under
 * inference mode unless the file's `Trainer(inference_mode=False)` says otherwise). AGL002, AGL013 and AGL055 ask it;
 * the analysis' own recording state (`analysis/`) follows calls across functions as well.
 */
import type { CallInfo, SemanticModel } from './semantic';
import { field, namedChildren, unparen, type PyNode } from './tree';

export type GradMode =
  | { state: 'on' }
  | { state: 'unknown' }
  | { state: 'no_grad' | 'inference'; cause: PyNode; via: 'with' | 'decorator' }
  | { state: 'lightning'; cause: PyNode; hook: string; trainerInferenceOff: boolean };

type Switch = 'no_grad' | 'inference' | 'enable' | 'neutral' | 'unknown';

const NO_GRAD = new Set(['torch.no_grad', 'torch.autograd.no_grad']);
const ENABLE_GRAD = new Set(['torch.enable_grad', 'torch.autograd.enable_grad']);
const INFERENCE = new Set(['torch.inference_mode', 'torch.autograd.inference_mode', 'torch.autograd.grad_mode.inference_mode']);
const SET_GRAD = new Set(['torch.set_grad_enabled', 'torch.autograd.set_grad_enabled', 'torch.autograd.grad_mode.set_grad_enabled']);
const LIGHTNING_EVAL_HOOKS = new Set(['validation_step', 'test_step', 'predict_step']);

/** What a context manager or decorator expression does to recording. */
function classify(m: SemanticModel, expr: PyNode): Switch {
  const e = unparen(expr);
  const q = m.qualifiedName(e);
  if (!q) return 'neutral';
  const call = e.type === 'call' ? m.call(e) : undefined;
  const firstArg = (name: string): PyNode | null => {
    if (!call) return null;
    return call.keywords.get(name) ?? call.positional[0] ?? null;
  };
  if (NO_GRAD.has(q)) return 'no_grad';
  if (ENABLE_GRAD.has(q)) return 'enable';
  if (INFERENCE.has(q)) {
    const a = firstArg('mode');
    if (!a) return 'inference';
    const b = m.literalBool(a);
    return b === true ? 'inference' : b === false ? 'neutral' : 'unknown';
  }
  if (SET_GRAD.has(q)) {
    const a = firstArg('mode');
    const b = a ? m.literalBool(a) : null;
    return b === true ? 'enable' : b === false ? 'no_grad' : 'unknown';
  }
  return 'neutral';
}

/** Whether the file configures a Lightning `Trainer(inference_mode=False)`. */
function trainerInferenceOff(m: SemanticModel): boolean {
  // Read through the file fact first: the re-lint by groups then links the unit that configures the Trainer.
  if (!m.fileFact('lightning-inference-off')) return false;
  return m.calls.some((c) => {
    const fn = field(c.node, 'function');
    const name = fn ? m.textOf(fn) : '';
    if (!/(?:^|\.)Trainer$/.test(name)) return false;
    const kw = c.keywords.get('inference_mode');
    return kw !== undefined && m.literalBool(kw) === false;
  });
}

function isLightningClass(m: SemanticModel, cls: PyNode): boolean {
  const supers = field(cls, 'superclasses');
  if (!supers) return false;
  return namedChildren(supers).some((s) => /LightningModule$/.test(m.qualifiedName(s) ?? m.textOf(s)));
}

/**
 * Whether autograd records at `node`, read from the enclosing `with` statements (innermost first),
 * then the enclosing function's decorators and Lightning hooks. A lambda passed straight to a call
 * is assumed to run there; any other nested function stops the search ('unknown' unless decided).
 */
export function gradModeAt(m: SemanticModel, node: PyNode): GradMode {
  let enabled: PyNode | null = null;
  const decide = (sw: Switch, cause: PyNode, via: 'with' | 'decorator'): GradMode | null => {
    if (sw === 'inference') return { state: 'inference', cause, via };
    if (sw === 'unknown') return { state: 'unknown' };
    if (sw === 'enable') enabled ??= cause;
    if (sw === 'no_grad' && !enabled) return { state: 'no_grad', cause, via };
    return null;
  };
  for (let n: PyNode | null = node.parent, child: PyNode = node; n; child = n, n = n.parent) {
    if (n.type === 'lambda') {
      if (n.parent?.type === 'argument_list') continue;
      return { state: enabled ? 'on' : 'unknown' };
    }
    if (n.type === 'with_statement') {
      const body = field(n, 'body');
      if (!body || child !== body) continue;
      const w = m.withs.find((x) => x.node === n);
      for (const item of [...(w?.items ?? [])].reverse()) {
        const r = decide(classify(m, item), item, 'with');
        if (r) return r;
      }
      continue;
    }
    if (n.type === 'function_definition') {
      const decorated = n.parent?.type === 'decorated_definition' ? n.parent : null;
      for (const d of decorated ? decorated.children.filter((c) => c.type === 'decorator').reverse() : []) {
        const expr = namedChildren(d)[0];
        if (!expr) continue;
        const r = decide(classify(m, expr), d, 'decorator');
        if (r) return r;
      }
      const fn = m.functionOf(n);
      const nameNode = field(n, 'name');
      const cls = n.parent?.parent?.type === 'class_definition' ? n.parent.parent : decorated?.parent?.parent?.type === 'class_definition' ? decorated.parent.parent : null;
      if (fn?.isMethod && nameNode && cls && LIGHTNING_EVAL_HOOKS.has(fn.name) && isLightningClass(m, cls)) {
        const off = trainerInferenceOff(m);
        if (!enabled) return { state: 'lightning', cause: nameNode, hook: fn.name, trainerInferenceOff: off };
        // enable_grad() inside the hook is right with Trainer(inference_mode=False); when the Trainer
        // is configured in another file it cannot be checked here (known problem, not flagged).
        return { state: 'on' };
      }
      return { state: enabled ? 'on' : 'unknown' };
    }
  }
  return { state: 'on' };
}

/**
 * Method name and receiver of a call `<expr>.<name>(...)`. The semantic model gives a method called on
 * a call's result (`torch.rand(3).requires_grad_()`) `method` and `receiver` itself (the receiver is the
 * call `torch.rand(3)`; `qname` is null), so this is `c.method`/`c.receiver` as one value; kept because
 * AGL012-AGL014 use it.
 */
export function methodOf(_m: SemanticModel, c: CallInfo): { method: string; receiver: PyNode } | null {
  return c.method && c.receiver ? { method: c.method, receiver: c.receiver } : null;
}
