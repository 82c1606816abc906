# Initialize m and b
m = torch.tensor([0], requires_grad=True, dtype=torch.float32)
b = torch.tensor([0], requires_grad=True, dtype=torch.float32)

# Convert sleep and screentime to tensors
x = torch.from_numpy(screentime)
y = torch.from_numpy(sleep)

# Run 10K iterations
for i in range(10_000):

  # Calculate yhat
  yhat = m*x + b

  # Calculate the loss
  loss = torch.sqrt(torch.mean((yhat - y)**2))

  # "Reverse mode differentiation"
  loss.backward()

  # Update m and b (gradient step)
  with torch.no_grad():
    m -= 0.02*m.grad
    b -= 0.02*b.grad

  # Zero out the gradients
  m.grad = None
  b.grad = None

print(f"(m, b) = ({m.item()}, {b.item()})")
# (m, b) = (-0.755, 11.241)
