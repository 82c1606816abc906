import torch
x = torch.tensor(1., requires_grad=True)
y = 2*x**3 + 5*x**2 + 8
y.backward(retain_graph=True, create_graph=True)
first_derivative = x.grad
y.backward()
second_derivative = x.grad
