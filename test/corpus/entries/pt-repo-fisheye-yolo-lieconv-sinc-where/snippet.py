import torch


def sinc(x, eps=1e-6):
    x2 = x * x
    return torch.where(
        x.abs() < eps,
        1 - x2 / 6 + x2 * x2 / 120,
        torch.sin(x) / x,
    )


def sinc_inv(x, eps=1e-6):
    x2 = x * x
    return torch.where(
        x.abs() < eps,
        1 + x2 / 6 + 7 * x2 * x2 / 360,
        x / torch.sin(x),
    )


def cosc(x, eps=1e-6):
    x2 = x * x
    return torch.where(
        x.abs() < eps,
        0.5 - x2 / 24 + x2 * x2 / 720,
        (1 - torch.cos(x)) / x2,
    )
