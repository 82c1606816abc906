import torch
import torch.nn as nn
from fast_soft_sort.pytorch_ops import *

conf = torch.tensor([[0.1, 0.7, 0.2]], dtype=torch.float64, requires_grad= True)

# Sorting in descending order
conf = soft_sort(conf, direction="DESCENDING", regularization_strength= 1)

ideal = torch.tensor([[1.0, 0.0, 0]], dtype=torch.float64)
l2    = nn.MSELoss()

print("Grad before doing loss.backward()")
print(conf.grad)

loss = l2(conf, ideal)
loss.backward()

print("Loss = {:.2f}".format(loss))
print("Grad after loss.backward()")
print(conf.grad)
