import torch
tmp = torch.randn(10, 5, requires_grad=True)
def ff(x):
    return tmp.sum()
tmp_j = torch.autograd.jacobian(ff, tmp)
print(tmp_j)
