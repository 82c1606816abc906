import torch
from torch.autograd import grad


def compute_gamma(S):
    inputs = torch.tensor([[110.0, 100.0, S, 0.35, 0.1, 0.05]]).cuda()
    inputs.requires_grad = True
    x = model(inputs)
    loss_grads = grad(x, inputs, create_graph=True)
    drv = grad(loss_grads[0], inputs, torch.ones_like(loss_grads[0]) )
    return drv[0][0][2]
