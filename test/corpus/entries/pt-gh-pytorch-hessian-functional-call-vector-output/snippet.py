import torch
from torch.autograd.functional import hessian
from torch.nn.utils import _stateless

model = torch.nn.Linear(2, 2)
inp = torch.rand(1, 2)

names = list(n for n, _ in model.named_parameters())
hessian(lambda *params: _stateless.functional_call(model, {n: p for n, p in zip(names, params)}, inp), tuple(model.parameters()))
