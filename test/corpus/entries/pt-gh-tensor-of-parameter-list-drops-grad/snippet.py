import torch

t = torch.FloatTensor([1.0])
p = torch.nn.Parameter(t)

p.requires_grad = True

print(torch.Tensor(p).requires_grad)    # True
print(torch.Tensor([p,]).requires_grad) # False
