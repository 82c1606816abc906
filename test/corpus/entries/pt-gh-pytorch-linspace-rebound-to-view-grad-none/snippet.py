import torch

lhs_pos = torch.linspace(
    1, 32, steps=32, requires_grad = True, dtype=torch.float)

lhs_pos = lhs_pos.view(
    2, 4, 2, 2
)
lhs_pos.sum().backward()
print(lhs_pos.grad)
