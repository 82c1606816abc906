import torch

import torchsort

a = torch.rand(10, requires_grad=True)

a

b = a * 2

largest_idx = torch.argsort(b)[-1]

torch.autograd.grad(b[largest_idx], a)
