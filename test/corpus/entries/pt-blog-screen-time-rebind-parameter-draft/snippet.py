# Initialize m and b
m = torch.tensor([0], requires_grad=True, dtype=torch.float32)
b = torch.tensor([0], requires_grad=True, dtype=torch.float32)

# Convert sleep and screentime to tensors
x = torch.from_numpy(screentime)
y = torch.from_numpy(sleep)

# Calculate yhat
yhat = m*x + b

# Calculate the loss
loss = torch.sqrt(torch.mean((yhat - y)**2))

# "Reverse mode differentiation"
loss.backward()

# Update m and b (gradient step)
m = m - 0.02*m.grad
b = b - 0.02*b.grad
