import torch

x = torch.ones(2,2,requires_grad=True)

y=x+2

z=y * y * 3

out=z.mean()

out.backward(retain_graph=True)

print(x.grad)

out.backward(retain_graph=True)

print(x.grad)
