/**
 * AGL055 inference-tensor-in-autograd: a tensor made under `torch.inference_mode()` used by autograd after the
 * block: given to a layer with trainable weights while recording (the layer saves its input for the weights'
 * gradient: "Inference tensors cannot be saved for backward"), or marked with `requires_grad` ("Setting
 * requires_grad=True on inference tensor outside InferenceMode is not allowed"). Measured with PyTorch 1.13
 * (test/fixtures/lint/AGL055/bad.py).
 *
 * Asked of the analysis: model calls made with recording on whose result has trainable parameters, and leaf marks,
 * whose argument is an inference tensor — its value carries the `inference` facet and was made inside the
 * `inference_mode` block (or function) itself: an operation on it outside the block makes a normal tensor.
 */
import { tensorOfValue } from '../analysis/library';
import type { AV } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import { field, type PyNode } from '../tree';
import { gradModeAt } from '../grad-mode';

/**
 * The `with torch.inference_mode():` item or `@torch.inference_mode()` decorator under which `v` was made, when it is
 * an inference tensor (it carries the facet and its own site is inside the region; AGL009's `gradModeAt` reads the
 * region), else null.
 */
function inferenceTensor(ctx: RuleContext, v: AV): { cause: PyNode; via: 'with' | 'decorator' } | null {
  const t = v.t;
  if (!t || !t.inference || v.site < 0) return null;
  const site = ctx.tree.nodes[v.site];
  const mode = site ? gradModeAt(ctx.model, site) : null;
  return mode && mode.state === 'inference' ? { cause: mode.cause, via: mode.via } : null;
}

function regionName(ctx: RuleContext, r: { cause: PyNode; via: 'with' | 'decorator' }): string {
  if (r.via === 'with') return `\`with ${ctx.text(r.cause)}:\``;
  const def = r.cause.parent ? field(r.cause.parent, 'definition') : null;
  const name = def ? field(def, 'name') : null;
  return `\`${ctx.text(r.cause)}\` function${name ? ` \`${ctx.text(name)}\`` : ''}`;
}

export const AGL055: Rule = {
  meta: {
    code: 'AGL055',
    name: 'inference-tensor-in-autograd',
    summary: 'A tensor made under `torch.inference_mode()` is used by autograd afterwards: saved for backward by a layer, or marked `requires_grad`; PyTorch raises.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds tensors made inside `with torch.inference_mode():` (or in a function decorated `@torch.inference_mode()`) that are ' +
        'used after it by autograd: passed to a layer or model with trainable weights while autograd records (a cached ' +
        'feature batch fed to a head that trains, inputs prepared under inference mode for a derivative), or marked with ' +
        '`requires_grad_()` / `requires_grad = True` (to take an input derivative).',
      whyIsThisBad:
        'Inference tensors are not tracked by autograd and cannot become part of a graph. A layer with trainable weights saves ' +
        'its input to compute the weights\' gradient, so PyTorch raises "Inference tensors cannot be saved for backward"; ' +
        'marking one raises "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed". Unlike ' +
        '`torch.no_grad()`, leaving the block does not make its tensors usable. Lightning\'s `validation_step`, ' +
        '`test_step` and `predict_step` run under inference mode by default, so tensors kept from them have the same problem.',
      example: [
        '```python',
        'with torch.inference_mode():',
        '    feats = backbone(images)',
        'logits = head(feats)          # RuntimeError: Inference tensors cannot be saved for backward',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'with torch.no_grad():         # normal tensors without history',
        '    feats = backbone(images)',
        'logits = head(feats)',
        '# or: head(feats.clone()) — a clone made outside inference mode is a normal tensor',
        '```',
      ].join('\n'),
      knownProblems:
        'Only the tensor made in the block itself is followed (an operation on it after the block makes a normal tensor, which ' +
        'is fine). Operations other than a call of a layer or model (a product with a parameter, which saves its operands ' +
        'too) are not checked, nor tensors kept from Lightning hooks.',
      fixSafety: 'No fix: whether `no_grad()` or a clone is right depends on what else the block computes.',
      references: ['[Inference mode](https://pytorch.org/docs/stable/generated/torch.inference_mode.html)', '[Autograd mechanics: inference mode](https://pytorch.org/docs/stable/notes/autograd.html#inference-mode)'],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    const reported = new Set<number>();
    for (const mc of a.events.modelCalls) {
      if (mc.recording.mode !== 'on' || reported.has(mc.node.id)) continue;
      if (tensorOfValue(mc.result).params.length === 0) continue;
      for (const arg of mc.args) {
        const region = inferenceTensor(ctx, arg);
        if (!region) continue;
        reported.add(mc.node.id);
        const made = ctx.tree.nodes[arg.site]!;
        ctx.report({
          node: mc.node,
          message:
            `\`${ctx.text(made).replace(/\\s+/g, ' ').slice(0, 50)}\` was made under ${regionName(ctx, region)} (line ${ctx.lineOf(region.cause)}): it is an ` +
            'inference tensor, and this call of a layer with trainable weights saves its input for the backward, so PyTorch raises ' +
            '"Inference tensors cannot be saved for backward". Make it under `torch.no_grad()` instead, or pass a `.clone()` made ' +
            'outside the block.',
          related: [{ node: made, message: 'made in inference mode' }],
        });
        break;
      }
    }
    for (const l of a.events.leaves) {
      if (l.recording.mode === 'inference' || l.kind === 'factory' || reported.has(l.node.id)) continue;
      const region = inferenceTensor(ctx, l.beforeAny);
      if (!region) continue;
      reported.add(l.node.id);
      ctx.report({
        node: l.node,
        message:
          `\`${ctx.text(l.target).slice(0, 50)}\` was made under ${regionName(ctx, region)} (line ${ctx.lineOf(region.cause)}): it is an inference ` +
          'tensor, and PyTorch raises "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed". Make ' +
          'it under `torch.no_grad()`, or mark a `.clone()` of it.',
        related: [{ node: region.cause, message: 'inference mode' }],
      });
    }
  },
};
