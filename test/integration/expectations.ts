/**
 * What the linter must report on the demo files, as the integration suite checks it in the editor.
 * Lines are given by a unique piece of their text, so editing the demo files' prose does not break this.
 * Keep in sync with the rule catalogue (src/core/lint/rules) and the demo/ files.
 */
export interface Finding {
  /** Text that identifies the line (its first occurrence in the file). */
  line: string;
  code: string;
}

export const EXPECT = {
  flagged: [
    {
      file: 'seed003_gradient_loss.py',
      what: 'jacobian without create_graph in a loss, requires_grad_() on its result',
      findings: [
        { line: 'grad_V_x = torch.autograd.functional.jacobian(model, x_tensor)', code: 'AGL001' },
        { line: 'grad_V_x.requires_grad_()', code: 'AGL001' },
      ] as Finding[],
    },
    {
      file: 'seed000_scaler_jacobian.py',
      what: 'derivative w.r.t. the scaled input, gradients accumulating across outputs',
      findings: [
        { line: 'normalized_input.requires_grad = True', code: 'AGL003' },
        { line: 'jacobi.append(normalized_input.grad.numpy())', code: 'AGL004' },
      ] as Finding[],
    },
  ],
  clean: ['seed000_fixed.py', 'seed003_fixed.py', 'seed001_partials_tf.py'],
  /** A short flagged snippet and the finding it must give (used to prove that linting ran). */
  probe: {
    source: 'import torch\n\ndef train_step(model, x, s, opt):\n    x.requires_grad_(True)\n    g = torch.autograd.grad(model(x).sum(), x)[0]\n    loss = ((g - s) ** 2).mean()\n    loss.backward()\n    opt.step()\n',
    line: 'g = torch.autograd.grad(model(x).sum(), x)[0]',
    code: 'AGL001',
  },
  /** A finding with a safe fix (its quick fix is applied and must remove it). */
  quickFix: { file: 'seed003_gradient_loss.py', line: 'grad_V_x = torch.autograd.functional.jacobian(model, x_tensor)', code: 'AGL001' },
  /** A finding whose only fix is unsafe: offered as "(unsafe)", never preferred, never in fix all. */
  unsafe: {
    source: 'import torch\n\n\ndef bump():\n    x = torch.ones(3, requires_grad=True)\n    x += 1\n    return x\n',
    line: '    x += 1',
    code: 'AGL013',
  },
  /**
   * The notebook version of seed 003: the derivative is made in one cell (`input_gradient`) and trained
   * on in another. Lines are found by text in whichever cell holds them.
   */
  notebook: {
    file: 'seed003_gradient_loss.ipynb',
    findings: [
      { line: 'return torch.autograd.grad(model(x).sum(), x)[0]', code: 'AGL001' },
      { line: 'grad_V_x.requires_grad_()', code: 'AGL001' },
    ] as Finding[],
    /** Where the derivative reaches the loss (a related location of the first finding). */
    loss: 'loss = loss_fn(grad_V_x, S_tensor)',
  },
  /** A file and the codes "fix all" must remove from it. */
  fixAll: { file: 'seed003_gradient_loss.py', codes: ['AGL001'] },
  /** A second file for fix all, whose safe fix is of another rule. */
  fixAllAccumulate: { file: 'seed000_scaler_jacobian.py', codes: ['AGL004'] },
};
