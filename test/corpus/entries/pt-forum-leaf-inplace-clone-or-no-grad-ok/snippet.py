w = torch.tensor([1.0, 2.0, 3.0]) # leaf variable
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True) # also leaf variable
y = x + 1 # not a leaf variable

x2 = x.clone() # clone the variable
x2 += 1 # in-place operation

with torch.no_grad():
    x += 1
