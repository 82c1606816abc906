x=torch.randn(3,requires_grad=True)
y=x+2 # will create a computational graph
print(y)

z=y*y*2
print(z)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float32)
z.backward(v) #dz/dx
print(x.grad)
