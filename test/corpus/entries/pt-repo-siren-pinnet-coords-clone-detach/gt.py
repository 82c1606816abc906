import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-siren-pinnet-coords-clone-detach"


def FCBlock(in_features, out_features, num_hidden_layers, hidden_features, outermost_linear, nonlinearity, weight_init):
    """Stand-in for SIREN's FCBlock with nonlinearity='tanh' (float64)."""
    layers = [nn.Linear(in_features, hidden_features), nn.Tanh()]
    for _ in range(num_hidden_layers):
        layers += [nn.Linear(hidden_features, hidden_features), nn.Tanh()]
    layers.append(nn.Linear(hidden_features, out_features))
    return nn.Sequential(*layers).double()


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"nn": nn, "FCBlock": FCBlock, "init_weights_trunc_normal": None, "print": lambda *a: None})
    net = ns["PINNet"]()
    coords = torch.rand(20, 2, dtype=torch.float64)
    out = net({"coords": coords})
    u, x = out["model_out"], out["model_in"]
    du = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    fd = gt.fd_gradient(lambda a: net.net(torch.from_numpy(a)).detach().numpy(), coords.numpy())
    err = gt.rel_err(du, fd)
    # and the derivative reaches the weights (a PDE residual on du can train the network)
    reaches = du.requires_grad and du.grad_fn is not None
    return not (err < 1e-6 and reaches), f"d model_out / d model_in vs FD rel err {gt.fmt(err)}; derivative has a graph to the weights: {reaches}"


gt.main()
