import tomosipo as ts
import torch


def grad_2D(x):
    weight = x.new_zeros(2, 1, 3, 3)
    weight[0, 0] = torch.tensor([[0, 0, 0], [-1, 1, 0], [0, 0, 0]])
    weight[1, 0] = torch.tensor([[0, -1, 0], [0, 1, 0], [0, 0, 0]])
    x = x[:, None]              # Add channel dimension
    out = torch.conv2d(x, weight, padding=1)
    return out[:, :, :, :]


def magnitude(z):
    # Add a small term to avoid division by zero when computing gradients
    return torch.sqrt(z[:, 0:1] ** 2 + z[:, 1:2] ** 2 + ts.epsilon ** 2)


def clip(z, lamb):
    return z * torch.clamp(lamb / magnitude(z), min=None, max=1.0)


def tv_min2d(A, y, lam, num_iterations=500, L=None, non_negativity=False, progress_bar=False, callbacks=()):
    ...
    u = torch.zeros(A.domain_shape, device=dev)
    p = torch.zeros(A.range_shape, device=dev)
    q = grad_2D(u)                  # contains zeros (and has correct shape)
    u_avg = torch.clone(u)

    for iteration in tqdm.trange(num_iterations, disable=not progress_bar):
        p = (p + s * (A(u_avg) - y)) / (1 + s)
        q = clip(q + s * grad_2D(u_avg), lam)
        u_new = u - (t * A.T(p) + t * grad_2D_T(q))
