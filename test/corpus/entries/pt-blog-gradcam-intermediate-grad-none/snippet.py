import torch
 
x = torch.tensor(3., requires_grad=True)
y = x ** 2
z = 4 * y
 
z.backward()
print(x.grad)   # tensor(24.)
print(y.grad)   # None
