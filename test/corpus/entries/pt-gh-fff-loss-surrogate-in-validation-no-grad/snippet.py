from collections import namedtuple
from math import sqrt, prod
from typing import Union, Callable

import torch
from torch.autograd import grad
from torch.autograd.forward_ad import dual_level, make_dual, unpack_dual

SurrogateOutput = namedtuple("SurrogateOutput", ["z", "x1", "nll", "surrogate", "regularizations"])
Transform = Callable[[torch.Tensor], torch.Tensor]


def sample_v(x: torch.Tensor, hutchinson_samples: int):
    batch_size, total_dim = x.shape[0], prod(x.shape[1:])
    if hutchinson_samples > total_dim:
        raise ValueError(f"Too many Hutchinson samples: got {hutchinson_samples}, expected <= {total_dim}")
    v = torch.randn(batch_size, total_dim, hutchinson_samples, device=x.device, dtype=x.dtype)
    q = torch.linalg.qr(v).Q.reshape(*x.shape, hutchinson_samples)
    return q * sqrt(total_dim)


def nll_surrogate(x: torch.Tensor, encode: Transform, decode: Transform,
                  hutchinson_samples: int = 1, manifold=None) -> SurrogateOutput:
    x.requires_grad_()
    z = encode(x)

    metrics = {}
    # M-FFF: Project to manifold and store projection distance for regularization
    if manifold is not None:
        from fff.m_loss import project_z
        z, metrics["z_projection"] = project_z(z, manifold)

    surrogate = 0
    if manifold is None:
        vs = sample_v(z, hutchinson_samples)
    else:
        # M-FFF: Sample v in the tangent space of z
        from fff.m_loss import sample_v_in_tangent
        vs = sample_v_in_tangent(z, hutchinson_samples, manifold)
    for k in range(hutchinson_samples):
        v = vs[..., k]

        # $ g'(z) v $ via forward-mode AD
        with dual_level():
            dual_z = make_dual(z, v)
            dual_x1 = decode(dual_z)

            # M-FFF: Project to manifold and store projection distance for regularization
            if manifold is not None:
                from fff.m_loss import project_x1
                dual_x1, metrics["x1_projection"] = project_x1(dual_x1, manifold)

            x1, v1 = unpack_dual(dual_x1)

        # $ v^T f'(x) $ via backward-mode AD
        v2, = grad(z, x, v, create_graph=True)

        # $ v^T f'(x) stop_grad(g'(z)) v $
        surrogate += sum_except_batch(v2 * v1.detach()) / hutchinson_samples

    # Per-sample negative log-likelihood
    nll = sum_except_batch((z ** 2)) / 2 - surrogate

    if manifold is not None:
        metric = manifold.default_metric()(manifold)
        if hasattr(metric, "metric_matrix_log_det"):
            metric_volume_change = 0.5 * (
                metric.metric_matrix_log_det(z) - metric.metric_matrix_log_det(x)
            )
            metrics["metric_volume_change"] = sum_except_batch(metric_volume_change)
            nll += sum_except_batch(metric_volume_change)

    return SurrogateOutput(z, x1, nll, surrogate, metrics)


def fff_loss(x: torch.Tensor,
             encode: Transform, decode: Transform,
             beta: Union[float, torch.Tensor],
             hutchinson_samples: int = 1) -> torch.Tensor:
    surrogate = nll_surrogate(x, encode, decode, hutchinson_samples)
    mse = torch.sum((x - surrogate.x1) ** 2, dim=tuple(range(1, len(x.shape))))
    return beta * mse + surrogate.nll


def sum_except_batch(x: torch.Tensor) -> torch.Tensor:
    return torch.sum(x.reshape(x.shape[0], -1), dim=1)
