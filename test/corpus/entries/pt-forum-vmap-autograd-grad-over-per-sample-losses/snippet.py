import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

batch_size = 64

inputs = torch.randn((batch_size, 5))
targets = torch.randn((batch_size, 1))

model = nn.Linear(5, 1)
params = list(model.parameters())

outputs = model(inputs)  # shape: [batch_size, 1]
losses = F.mse_loss(outputs, targets, reduction="none").squeeze()  # shape: [batch_size]

def compute_one_gradient(loss: Tensor) -> tuple[Tensor, ...]:
    return torch.autograd.grad(loss, params)

grads = torch.vmap(compute_one_gradient)(losses)
