x = Variable(torch.zeros(1), requires_grad=True)
x.norm().backward()
print(x.grad)
