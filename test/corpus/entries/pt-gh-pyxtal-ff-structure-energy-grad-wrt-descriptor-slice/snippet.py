import torch
from torch.autograd import grad

x = torch.ones(5,5, dtype=torch.float, requires_grad=True)
w = torch.rand(5,5, dtype=torch.float, requires_grad=True)
atomic_energies=torch.sum(x*w, dim=1)

energy1=atomic_energies[0:3].sum()
dedx_struc1 = grad(energy1, x[0:3,:], create_graph=True)
