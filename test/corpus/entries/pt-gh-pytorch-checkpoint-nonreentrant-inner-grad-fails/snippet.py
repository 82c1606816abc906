import torch
from torch.utils.checkpoint import checkpoint

def run_fn(tensor):
    print('Running with use_reentrant=False and autograd.grad')
    y = tensor.exp()
    z = y.sum()
    grads = torch.autograd.grad(z, tensor, create_graph=True)
    return grads[0]

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = checkpoint(run_fn, x, use_reentrant=False)
z = y.sum()
z.backward()
print('Grad with use_reentrant=False', x.grad)
