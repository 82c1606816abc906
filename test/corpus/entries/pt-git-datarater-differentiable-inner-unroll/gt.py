import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-datarater-differentiable-inner-unroll"


class Config:
    device = "cpu"
    loss_type = "mse"
    grad_clip_norm = 1e9  # large, so the outer gradient is compared unclipped
    inner_steps = 2
    inner_lr = 0.1


class Log:
    def __init__(self):
        self.outer_loss = []


@gt.case(CASE)
def _():
    # The snippet's differentiable unroll + outer step: the rater's gradient against finite differences
    # of the same outer loss (float64, fixed batches, plain SGD outer optimizer with lr 0 so nothing moves).
    torch.manual_seed(0)
    # functional_call's strict= keyword is newer than the PyTorch 1.13 here; strict=False only relaxes the
    # check that every parameter and buffer is given, and the snippet gives all of them, so drop it.
    import torch.nn.utils.stateless as stateless
    plain = stateless.functional_call
    stateless.functional_call = lambda module, tensors, args, strict=False: plain(module, tensors, args)
    ns = gt.exec_snippet(__file__, {"DataRaterConfig": Config, "LoggingContext": Log})
    rater = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1),
                                torch.nn.Flatten(0)).double()
    inner = [gt.mlp(3, 1, act=torch.nn.Tanh).double()]
    outer_opt = torch.optim.SGD(rater.parameters(), lr=0.0)
    train = [(torch.randn(16, 3, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)) for _ in range(4)]
    val = [(torch.randn(16, 3, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)) for _ in range(2)]

    def outer():
        return ns["outer_loop_step"](Config(), Log(), rater, outer_opt, inner, iter(train), iter(val), train, val)[0]

    outer()
    w = rater[0].weight
    g = w.grad.detach().clone()
    h = 1e-6
    fd = torch.zeros_like(w)
    picks = [(0, 0), (1, 2), (4, 1), (7, 0)]

    def shift(idx, d):
        with torch.no_grad():
            w[idx] += d

    for idx in picks:
        shift(idx, h)
        up = outer()
        shift(idx, -2 * h)
        down = outer()
        shift(idx, h)
        fd[idx] = (up - down) / (2 * h)
    a = torch.stack([g[i] for i in picks])
    b = torch.stack([fd[i] for i in picks])
    err = gt.rel_err(a, b)
    return not (err < 1e-4 and float(a.abs().max()) > 0), f"rater gradient vs finite differences: rel err {err:.2e}, |grad| {float(a.abs().max()):.3g}"


gt.main()
