import numpy
import torch


def mse_b(model, t_b):
    x_b_lower = 2*numpy.pi*torch.exp(-t_b)  # as in the equation
    x_b_lower.requires_grad = True # doing this make an error, but if I don't
    h_b_lower = model(torch.stack((x_b_lower, t_b), axis = 1))
    return h_b_lower


t = torch.from_numpy(data['tt'].astype(numpy.float32))
t.requires_grad = True
t = t.flatten().T
idx_b = numpy.random.choice(t.shape[0], N_b,replace = False )
t_b = t[idx_b]
