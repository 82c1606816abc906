import torch
from torch.autograd.functional import jacobian


def decoder(x):
    return torch.pow(x, 2)


def metric_matrix(base_point):
    J = jacobian(decoder, base_point, strict=True, create_graph=True)
    metric = J.T @ J

    return metric


def christoffels(base_point):
    cometric_mat_at_point = torch.linalg.inv(metric_matrix(base_point))
    metric_derivative_at_point = jacobian(metric_matrix, base_point)

    term_1 = torch.einsum(
        "...lk,...jli->...kij", cometric_mat_at_point, metric_derivative_at_point
    )

    term_2 = torch.einsum(
        "...lk,...lij->...kij", cometric_mat_at_point, metric_derivative_at_point
    )
    term_3 = -torch.einsum(
        "...lk,...ijl->...kij", cometric_mat_at_point, metric_derivative_at_point
    )

    christoffels = 0.5 * (term_1 + term_2 + term_3)
    return christoffels


...
