/**
 * AGL077 loss-module-constructed-with-data: a loss *class* given the tensors it should compare —
 * `nn.MSELoss(output, target)`, `tf.keras.losses.MeanSquaredError(y_true, y_pred)`. A loss class's constructor
 * takes configuration (`size_average`, `reduce`, `reduction`, `from_logits`...), so the tensors land in those
 * parameters and the result is a loss object, not a loss value: `loss.backward()` raises AttributeError, a tape
 * has nothing recorded to differentiate, and nothing trains. The question to the analysis: is a positional
 * argument of a loss class's constructor surely a tensor, in a parameter that takes no tensor (PyTorch's `weight`
 * and `pos_weight` do, so there only a tensor computed from parameters or a differentiated leaf counts — a
 * prediction)? Signatures are PyTorch 1.13's and Keras 2's (knowledge/torch.ts, knowledge/tensorflow.ts).
 */
import { TORCH_LOSS_CLASS_PARAMS, TORCH_LOSS_TENSOR_PARAMS } from '../knowledge/torch';
import { Kind, type AV } from '../analysis/values';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { field, unparen, type PyNode } from '../tree';

const TORCH_LOSS_CLASS = /^torch\.nn\.(?:modules\.loss\.)?(\w*Loss)$/;
/** Keras's loss classes (capitalized names under `keras.losses`; the functions are lower case). */
const KERAS_LOSS_CLASS = /^tensorflow\.(?:keras\.)?losses\.([A-Z]\w*)$/;
/** Capitalized names of `keras.losses` that are not loss classes called with configuration only. */
const KERAS_NOT_LOSS_CLASS = new Set(['Reduction', 'LossFunctionWrapper', 'Loss']);

/** A value that is surely a tensor (no other kind joined in). */
function surelyTensor(v: AV | undefined): v is AV {
  return !!v && v.kind === Kind.TENSOR && !!v.t;
}

/** A tensor computed from parameters or from a leaf marked to require grad: a model's prediction, not a weight. */
function isPrediction(v: AV): boolean {
  const t = v.t;
  return !!t && (t.params.length > 0 || t.leaves.length > 0 || t.leafOf !== null);
}

interface Finding {
  arg: PyNode;
  param: string | null;
}

function findings(ctx: RuleContext, c: CallInfo, cls: string, framework: 'torch' | 'keras'): Finding[] {
  const a = ctx.analysis;
  const out: Finding[] = [];
  const params = framework === 'torch' ? TORCH_LOSS_CLASS_PARAMS[cls] : undefined;
  const tensorParams = framework === 'torch' ? (TORCH_LOSS_TENSOR_PARAMS[cls] ?? []) : [];
  for (let k = 0; k < c.positional.length; k++) {
    const arg = c.positional[k];
    const v = a.valueOf(arg);
    if (!surelyTensor(v)) continue;
    const param = params ? (params[k] ?? null) : null;
    // `nn.CrossEntropyLoss(class_weights)`: a tensor parameter given a tensor is meant, unless it is a prediction.
    if (framework === 'torch' && (param === null ? !params : tensorParams.includes(param)) && !isPrediction(v)) continue;
    out.push({ arg, param });
  }
  return out;
}

/** Where the constructed object is then used as a loss value: `loss.backward()` on the name it is bound to. */
function backwardOf(ctx: RuleContext, call: PyNode): PyNode | null {
  const m = ctx.model;
  const stmt = call.parent;
  if (!stmt || stmt.type !== 'assignment' || field(stmt, 'right') !== call) return null;
  const left = field(stmt, 'left');
  if (!left || left.type !== 'identifier') return null;
  for (const c of m.calls) {
    if (c.method !== 'backward' || !c.receiver) continue;
    const r = unparen(c.receiver);
    if (r.type !== 'identifier' || !m.isUse(r)) continue;
    if (m.reachingBindings(r).some((b) => b.target === left)) return c.node;
  }
  return null;
}

export const AGL077: Rule = {
  meta: {
    code: 'AGL077',
    name: 'loss-module-constructed-with-data',
    summary: 'A loss class constructed with the tensors it should compare (`nn.MSELoss(output, target)`): the result is a loss object, not a loss.',
    framework: 'any',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds the construction of a PyTorch loss class (`torch.nn.MSELoss`, `nn.CrossEntropyLoss`, any `torch.nn.*Loss`) or a ' +
        'Keras loss class (`tf.keras.losses.MeanSquaredError`, `BinaryCrossentropy`...) whose positional argument is a tensor ' +
        'where the constructor takes configuration: `loss = nn.MSELoss(output, target)`. For PyTorch\'s `weight` and ' +
        '`pos_weight` parameters, which do take tensors, only a tensor computed from the model\'s parameters or from a tensor ' +
        'marked to require grad (a prediction) counts.',
      whyIsThisBad:
        'A loss class is called twice: once to build it with its options, once on the prediction and the target. ' +
        '`nn.MSELoss(output, target)` passes the tensors as the deprecated `size_average` and `reduce` flags and returns an ' +
        '`MSELoss` module: `loss.backward()` raises "AttributeError: \'MSELoss\' object has no attribute \'backward\'" (or the ' +
        'construction raises "Boolean value of Tensor with more than one value is ambiguous"), and no gradient is computed. ' +
        'In Keras, `MeanSquaredError(y_true, y_pred)` passes them as `reduction` and `name`, which fails or yields a loss ' +
        'object that a `GradientTape` cannot differentiate.',
      example: '```python\noutput = model(x)\nloss = nn.MSELoss(output, target)\nloss.backward()\n```',
      useInstead: '```python\ncriterion = nn.MSELoss()\noutput = model(x)\nloss = criterion(output, target)\nloss.backward()\n```',
      knownProblems:
        'Only arguments the analysis knows to be tensors are read: a tensor from a data loader the file does not show is ' +
        'not. Loss classes of other libraries, and a tensor passed by keyword, are not checked.',
      fixSafety:
        'When every argument is positional, the fix constructs the loss with its defaults and calls it on the arguments ' +
        '(`nn.MSELoss()(output, target)`). It is unsafe: it keeps the default reduction, and the order of prediction and target ' +
        'is the one written (Keras takes `y_true` first, PyTorch the prediction first).',
      references: [
        '[torch.nn.MSELoss](https://pytorch.org/docs/stable/generated/torch.nn.MSELoss.html)',
        '[tf.keras.losses.MeanSquaredError](https://www.tensorflow.org/api_docs/python/tf/keras/losses/MeanSquaredError)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    for (const c of m.calls) {
      if (!c.qname || c.hasStarArgs || c.positional.length === 0) continue;
      const tm = TORCH_LOSS_CLASS.exec(c.qname);
      const km = tm ? null : KERAS_LOSS_CLASS.exec(c.qname);
      const cls = tm?.[1] ?? km?.[1];
      if (!cls || (km && KERAS_NOT_LOSS_CLASS.has(cls))) continue;
      const found = findings(ctx, c, cls, tm ? 'torch' : 'keras');
      if (found.length === 0) continue;
      const callee = ctx.text(field(c.node, 'function') ?? c.node);
      const args = found.map((f) => `\`${ctx.text(f.arg)}\`${f.param ? ` (as \`${f.param}\`)` : ''}`).join(' and ');
      const bw = backwardOf(ctx, c.node);
      const argList = field(c.node, 'arguments');
      const fixable = c.keywords.size === 0 && argList !== null;
      ctx.report({
        node: c.node,
        message:
          `\`${callee}(...)\` is given the tensor${found.length > 1 ? 's' : ''} ${args} as constructor argument${found.length > 1 ? 's' : ''}: ` +
          `a loss class's constructor takes its options, so this does not compute the loss: ` +
          (tm
            ? `PyTorch reads the tensors as those options (raising "Boolean value of Tensor with more than one value is ambiguous" for tensors of several elements) or returns a \`${cls}\` module`
            : `Keras takes them as its options and fails, or returns a \`${cls}\` object that no tape can differentiate`) +
          (bw ? `, on which \`.backward()\` (line ${ctx.lineOf(bw)}) raises AttributeError` : '') +
          `. Construct the loss, then call it on the tensors: \`${callee}()(${found.map((f) => ctx.text(f.arg)).join(', ')})\`.`,
        related: bw ? [{ node: bw, message: 'the loss object is used as a loss value here' }] : [],
        fixes: fixable
          ? [{ title: `Call the loss: \`${callee}()(...)\` (unsafe: default options)`, safe: false, edits: [ctx.insertAt(argList.start, '()')] }]
          : [],
      });
    }
  },
};
