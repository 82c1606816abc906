import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.preprocessing import MinMaxScaler  # noqa: E402

CASE = "pt-forum-minmax-jacobi-normalized-input"


@gt.case(CASE)
def _():
    # The post's calculate_jacobi calls revert_output_normalization_keeping_gradient(output) without the
    # scaler it needs (a TypeError as quoted); the reproduction passes out_scaler and keeps every other line.
    ns = gt.exec_snippet(__file__, {"torch": torch, "np": np})
    revert = ns["revert_output_normalization_keeping_gradient"]
    normalize_inp = ns["normalize_inp"]

    x = np.linspace(-3, 3, 10).reshape(-1, 1)  # the post's test function x**3 + 7 - 3*x on 10 points
    y = x ** 3 + 7 - 3 * x
    inp_scaler, out_scaler = MinMaxScaler().fit(x), MinMaxScaler().fit(y)
    model = gt.mlp(1, 1, dtype=torch.float32)

    normalized_input = normalize_inp(x, inp_scaler)
    normalized_input.requires_grad = True
    for param in model.parameters():
        param.requires_grad = False
    unnorm_output = revert(model(normalized_input), out_scaler)
    jacobi = []
    for out in unnorm_output:
        out.backward(retain_graph=True)
        jacobi.append(normalized_input.grad.numpy())
    got = np.array(jacobi)[-1].reshape(-1)

    def raw_map(xr):  # the network as a function of the raw input, in float64
        with torch.no_grad():
            xn = torch.tensor(inp_scaler.transform(xr), dtype=torch.float32)
            return out_scaler.inverse_transform(model(xn).double().numpy()).reshape(-1)
    fd = gt.fd_gradient(raw_map, x, h=1e-3).reshape(-1)
    err = gt.rel_err(got, fd)
    ratio = gt.ratio(got, fd)
    return err > 1e-2, (f"Jacobian vs finite differences in raw x: rel err {gt.fmt(err)}, ratio {gt.fmt(ratio)}; "
                        f"1/inp_scaler.scale_ = {gt.fmt(1 / inp_scaler.scale_[0])}")


gt.main()
