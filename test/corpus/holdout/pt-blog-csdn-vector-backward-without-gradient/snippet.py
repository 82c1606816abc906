x=torch.randn(3,requires_grad=True)
y=x+2 # will create a computational graph
print(y)

z=y*y*2
print(z)
z.backward() #dz/dx
print(x.grad)
