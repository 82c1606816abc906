x_b_lower = 2*numpy.pi*torch.exp(-t_b)  # as in the equation
x_b_lower.requires_grad = True # doing this make an error, but if I don't
