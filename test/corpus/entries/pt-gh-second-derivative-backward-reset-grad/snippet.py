from torch import tensor as Tensor
import numpy as np

x = Tensor(2., requires_grad=True)
y = (3.*x).exp()

# use of torch.autograd.grad is recommended instead of this...
y.backward(create_graph=True)
dydx = x.grad

x.grad = None      # otherwise grad is dydx + d2ydx2
dydx.backward()
d2ydx2 = x.grad
