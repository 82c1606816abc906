import torch
import numpy as np
from scipy.integrate import odeint

def model(y,t):
    k = 0.3
    dydt = -k * y
    return dydt

y0 = 5

t = np.linspace(0,20,10)

y = odeint(model,y0,t)
y=torch.tensor(y,requires_grad=True)
t=torch.tensor(t,requires_grad=True).reshape(-1,1)
dy=torch.autograd.grad(y[-1,0],t[-1,0],torch.ones_like(t[-1,0]))

print(dy)
