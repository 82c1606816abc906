import torch

probs = torch.rand(2, 3, requires_grad=True)
pt = torch.pow(1-probs, 0)
pt.detach_()
logmean1  = (probs.log()).sum(1).view(-1,1)
logmean2  = (pt*probs.log()).sum(1).view(-1,1)

grad1, = torch.autograd.grad(logmean1.sum(), probs)
grad2, = torch.autograd.grad(logmean2.sum(), probs)

print("Difference", (grad1 - grad2).abs().sum())
