import torch

inp = torch.randn(12, requires_grad=True)
model = nn.Sequential(
    nn.Linear(12, 1)
)
out = model(inp)
grad = torch.autograd.grad(out, inp, create_graph=True)[0]
grad2 = torch.autograd.grad(grad.sum(), inp)[0]
