import torch
x = torch.randn(3, requires_grad=True)
y = torch.randn(3, requires_grad=True)
# Incorrect: multiple outputs
loss = torch.cat([x, y])
loss.backward() # This will throw the error!
