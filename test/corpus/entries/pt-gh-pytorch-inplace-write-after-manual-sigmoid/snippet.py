a = torch.tensor([1,2,3.], requires_grad = True)
b = 1/((-a).exp()+1)
b
b[1]= 2
b.sum().backward()
a.grad
