x = torch.tensor([2.7], requires_grad=True)

# Gradient flows normally without floor
y1 = x * 3
y1.backward()
print(x.grad)  # tensor([3.])

x.grad.zero_()

# Floor kills the gradient
y2 = torch.floor(x) * 3
y2.backward()
print(x.grad)  # tensor([0.]) — gradient is blocked
