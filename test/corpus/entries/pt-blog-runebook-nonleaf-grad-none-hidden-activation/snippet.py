import torch

# Create a leaf tensor
x = torch.randn(1, 10, requires_grad=True)

# Intermediate non-leaf tensors
y = x * 2
z = y.relu()

# A final tensor
output = z.sum()

# Perform the backward pass
output.backward()

# Try to access the gradients
print(f"Gradients of x (leaf): {x.grad}")
print(f"Gradients of y (non-leaf): {y.grad}")
