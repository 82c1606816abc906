import torch
...
# leaf variable
w = torch.tensor([1.0, 2.0, 3.0])

# also leaf variable
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)

# not a leaf variable
y = x + 1
...
x += 1  # in-place
y = x + 1 # not in place
