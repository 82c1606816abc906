import torch
from torch.autograd import grad
from torchdiffeq import odeint_event

def rhs(t, x):
    with torch.enable_grad():
        f = (x ** 2).sum()
        g = grad(f, x, create_graph=True, retain_graph=True)
    # ↑ error in this line
    return -x

x = torch.tensor([-0.0881, 0.4923], requires_grad=True)
odeint_event(rhs, x, torch.tensor([0.]), event_fn=rhs)
