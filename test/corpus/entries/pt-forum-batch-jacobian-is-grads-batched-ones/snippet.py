import torch

x = torch.randn(1024, 3, requires_grad=True) # a batch of coordinates
y = torch.sin(x) # calculated y in forward pass

grads = []
for i_dim in range(y.shape[1]):
    y_i = y[:, i_dim]
    ones = torch.ones_like(y_i)
    # `torch.autograd.grad` seems to implicitly add dimensions up.
    # So I separately calculate grad for every dim of `y`
    # But this still fails.
    grad = torch.autograd.grad(y_i, x, grad_outputs=ones, create_graph=True, retain_graph=True, is_grads_batched=True)[0]
    grads.append(grad)

grad = torch.cat(grad, dim=1)

print(grad.shape)
