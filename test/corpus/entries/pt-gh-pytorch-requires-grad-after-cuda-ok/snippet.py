import torch
a = torch.tensor([1.,2.,3.])
a = a.cuda()
a.requires_grad = True
b = a** 2
c = b.mean(0)
c.backward()
print(a.grad)
