from numpy import genfromtxt
import torch
import deepxde as dde

my_data = genfromtxt('dataset.train')
x = my_data[:,0]
y = my_data[:,1]
x_np = torch.from_numpy(x)
y_np = torch.from_numpy(y)

# <Something to connect them with the neural network graph.>

dde.grad.hessian(y_np, x_np, i=0, j=0)
