import torch

x = torch.tensor([1.,2.,3.,4.], requires_grad=True)
y = torch.outer(x, x)
y
torch.autograd.grad(y, x, grad_outputs=torch.ones_like(x))
