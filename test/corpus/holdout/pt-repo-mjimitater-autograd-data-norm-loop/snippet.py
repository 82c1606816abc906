x = torch.randn(3, requires_grad=True)
print(x)

y = x*2
print(y)

#vector norm of y:
while y.data.norm() < 1000:
    print(y.data.norm())
    y = y*2

print(y)

v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)

x.grad
