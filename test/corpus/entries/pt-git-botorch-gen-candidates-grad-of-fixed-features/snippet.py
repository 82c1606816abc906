#!/usr/bin/env python3

from typing import Any, Callable, Dict, List, Optional, Tuple, Type, Union

import torch
from botorch.utils import check_convergence, columnwise_clamp, fix_features
from scipy.optimize import minimize
from torch import Tensor
from torch.nn import Module
from torch.optim import Optimizer


def gen_candidates_scipy(
    initial_candidates: Tensor,
    acquisition_function: Module,
    lower_bounds: Optional[Union[float, Tensor]] = None,
    upper_bounds: Optional[Union[float, Tensor]] = None,
    inequality_constraints: Optional[List[Tuple[Tensor, Tensor, float]]] = None,
    equality_constraints: Optional[List[Tuple[Tensor, Tensor, float]]] = None,
    options: Optional[Dict[str, Any]] = None,
    fixed_features: Optional[Dict[int, Optional[float]]] = None,
) -> Tuple[Tensor, Tensor]:
    options = options or {}
    clamped_candidates = columnwise_clamp(
        initial_candidates, lower_bounds, upper_bounds
    ).requires_grad_(True)

    shapeX = clamped_candidates.shape
    x0 = _arrayify(clamped_candidates.view(-1))
    bounds = make_scipy_bounds(
        lower_bounds=lower_bounds, upper_bounds=upper_bounds, X=initial_candidates
    )
    constraints = make_scipy_linear_constraints(
        shapeX=clamped_candidates.shape,
        inequality_constraints=inequality_constraints,
        equality_constraints=equality_constraints,
    )

    def f(x):
        X = (
            torch.from_numpy(x)
            .type_as(initial_candidates)
            .view(shapeX)
            .contiguous()
            .requires_grad_(True)
        )
        X = fix_features(X=X, fixed_features=fixed_features)
        loss = -acquisition_function(X).sum()
        loss.backward()
        fval = loss.item()
        gradf = _arrayify(X.grad.view(-1))
        return fval, gradf

    method = options.get("method")
    if method is None:
        if inequality_constraints is None and equality_constraints is None:
            method = "L-BFGS-B"
        else:
            method = "SLSQP"

    res = minimize(
        f,
        x0,
        method=method,
        jac=True,
        bounds=bounds,
        constraints=constraints,
        options=options,
    )

    candidates = fix_features(
        X=torch.from_numpy(res.x).type_as(initial_candidates).view(shapeX).contiguous(),
        fixed_features=fixed_features,
    )
    batch_acquisition = acquisition_function(candidates)
    return candidates, batch_acquisition
