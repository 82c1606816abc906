import torch
x = torch.tensor([1.1, 2.1], requires_grad=True)
y = 2*x
z = torch.round(y)
r = z.sum()

r.backward()
x.grad
# tensor([0., 0.])
