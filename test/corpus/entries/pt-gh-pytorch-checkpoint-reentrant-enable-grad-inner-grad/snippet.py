import torch
from torch.utils.checkpoint import checkpoint

def run_fn(x):
    print('Running with use_reentrant=True and autograd.grad')
    create_graph = torch.is_grad_enabled()
    with torch.enable_grad():
        y = torch.exp(x)
        z = y.sum()
        grads = torch.autograd.grad(z, x, create_graph=create_graph)[0]
    return grads

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = checkpoint(run_fn, x, use_reentrant=True)
z = y.sum()
z.backward()
print('Grad with use_reentrant=True', x.grad)
