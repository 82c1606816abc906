import torch
from torch.autograd.functional import jacobian

# 입력: R^2, 출력: R^3 인 함수
def func(x):
    return torch.stack([x[0]**2, x[0] * x[1], x[1]**3])

input_tensor = torch.tensor([2.0, 3.0], requires_grad=True)

jacobian(func(input_tensor), input_tensor)
