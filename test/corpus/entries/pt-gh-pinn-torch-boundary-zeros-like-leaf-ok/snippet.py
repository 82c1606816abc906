import numpy
import torch


def derivative(dy: torch.Tensor, x: torch.Tensor, order: int = 1) -> torch.Tensor:
    for i in range(order):
        dy = torch.autograd.grad(
            dy, x, grad_outputs = torch.ones_like(dy), create_graph=True, retain_graph=True
        )[0]
    return dy


def mse_b(model, t_b):
    # x_b is the boundary points on +5
    x_b_right = torch.zeros_like(t_b)+5
    x_b_right.requires_grad = True
    # evaluating the function on the right side boundary
    h_b_right = model(torch.stack((x_b_right, t_b), axis = 1))
    # extracting the u and v values from the model output
    h_u_b_right = h_b_right[:, 0]
    h_v_b_right = h_b_right[:, 1]
    # evaluating the derivative of the parameters of the function on the right boundary
    h_u_b_right_x = derivative(h_u_b_right, x_b_right, 1)
    h_v_b_right_x = derivative(h_v_b_right, x_b_right, 1)
    return h_u_b_right_x, h_v_b_right_x


t = torch.from_numpy(data['tt'].astype(numpy.float32))
t.requires_grad = True
t = t.flatten().T
idx_b = numpy.random.choice(t.shape[0], N_b,replace = False )
t_b = t[idx_b]
