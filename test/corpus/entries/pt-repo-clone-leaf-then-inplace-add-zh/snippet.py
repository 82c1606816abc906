import torch
...
# also leaf variable
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
...
x2 = x.clone()  # clone the variable
x2 += 1  # in-place operation
print(x2)
