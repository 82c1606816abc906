"""
Interested in differentiating y = 2XTX
with respect to the column vector X
"""
import torch

x = torch.arange(4.0)
x
x.requires_grad_(True)
x.grad
y = 2 * torch.dot(x, x)
y
y.backward()
x.grad
x.grad.zero_()
y = x * x
y.backward(gradient=torch.ones(len(y)))  # Faster: y.sum().backward()
x.grad
