import torch
a = torch.tensor([1.,2.,3.],requires_grad = True)
a = a.cuda()
b = a** 2
c = b.mean(0)
c.backward()
print(a.grad)
