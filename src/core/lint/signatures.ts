/**
 * Parameter lists of the calls rules look arguments up in, so that `create_graph` is found whether it
 * is passed by keyword or by position. Names in the order of the Python signature (PyTorch 2.x docs).
 * Keys are qualified names; method signatures (on a tensor) are keyed by `Tensor.<name>`.
 */
export const SIGNATURES: Readonly<Record<string, readonly string[]>> = {
  'torch.autograd.grad': [
    'outputs', 'inputs', 'grad_outputs', 'retain_graph', 'create_graph', 'only_inputs', 'allow_unused',
    'is_grads_batched', 'materialize_grads',
  ],
  'torch.autograd.backward': ['tensors', 'grad_tensors', 'retain_graph', 'create_graph', 'grad_variables', 'inputs'],
  'torch.autograd.functional.jacobian': ['func', 'inputs', 'create_graph', 'strict', 'vectorize', 'strategy'],
  'torch.autograd.functional.hessian': ['func', 'inputs', 'create_graph', 'strict', 'vectorize', 'outer_jacobian_strategy'],
  'torch.autograd.functional.jvp': ['func', 'inputs', 'v', 'create_graph', 'strict'],
  'torch.autograd.functional.vjp': ['func', 'inputs', 'v', 'create_graph', 'strict'],
  'torch.autograd.functional.hvp': ['func', 'inputs', 'v', 'create_graph', 'strict'],
  'torch.autograd.functional.vhp': ['func', 'inputs', 'v', 'create_graph', 'strict'],
  'Tensor.backward': ['gradient', 'retain_graph', 'create_graph', 'inputs'],
  'Tensor.requires_grad_': ['requires_grad'],
  'torch.nn.functional.mse_loss': ['input', 'target', 'size_average', 'reduce', 'reduction', 'weight'],
  'torch.nn.functional.l1_loss': ['input', 'target', 'size_average', 'reduce', 'reduction'],
  'torch.nn.functional.smooth_l1_loss': ['input', 'target', 'size_average', 'reduce', 'reduction', 'beta'],
  'torch.nn.functional.huber_loss': ['input', 'target', 'reduction', 'delta'],
  'tensorflow.GradientTape.gradient': ['target', 'sources', 'output_gradients', 'unconnected_gradients'],
};

/** Other spellings of the same callable, mapped to the key used above. */
export const ALIASES: Readonly<Record<string, string>> = {
  'torch.autograd.grad_mode.no_grad': 'torch.no_grad',
  'torch.autograd.no_grad': 'torch.no_grad',
  'torch.autograd.grad_mode.enable_grad': 'torch.enable_grad',
  'torch.autograd.enable_grad': 'torch.enable_grad',
  'torch.autograd.grad_mode.inference_mode': 'torch.inference_mode',
  'torch.func.jacrev': 'torch.func.jacrev',
  'functorch.jacrev': 'torch.func.jacrev',
  'functorch.jacfwd': 'torch.func.jacfwd',
  'functorch.vmap': 'torch.func.vmap',
  'functorch.grad': 'torch.func.grad',
  'torch.vmap': 'torch.func.vmap',
  // functional_call's earlier homes: `torch.nn.utils._stateless` (PyTorch 1.12) and `torch.nn.utils.stateless` (1.13,
  // the same function; both still import in 1.13), before `torch.func` (2.0).
  'torch.nn.utils._stateless.functional_call': 'torch.func.functional_call',
  'torch.nn.utils.stateless.functional_call': 'torch.func.functional_call',
  'keras': 'tensorflow.keras',
};
