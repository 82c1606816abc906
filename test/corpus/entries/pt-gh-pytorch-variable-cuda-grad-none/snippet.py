x = Variable(torch.ones(10), requires_grad=True).cuda()
y = x * Variable(torch.linspace(1, 10, 10), requires_grad=False).cuda()
y.backward(torch.ones(10).cuda())
print(x.grad)
