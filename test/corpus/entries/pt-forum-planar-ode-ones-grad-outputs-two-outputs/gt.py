import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-planar-ode-ones-grad-outputs-two-outputs"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = gt.mlp(1, 2)
    t = torch.linspace(0, 1, 20, dtype=torch.float64).reshape(-1, 1).requires_grad_(True)
    y = model(t)
    ns = gt.exec_snippet(__file__, {"torch": torch, "y": y, "t": t})
    got = ns["dy_dt"].detach().numpy().reshape(-1)

    def out(i):
        return lambda tt: model(torch.tensor(tt)).detach().numpy()[:, i]
    tt = t.detach().numpy()
    dy = [gt.fd_gradient(out(i), tt).reshape(-1) for i in range(2)]  # per-sample derivative of each output
    err0, err1 = gt.rel_err(got, dy[0]), gt.rel_err(got, dy[1])
    err_sum = gt.rel_err(got, dy[0] + dy[1])
    return min(err0, err1) > 1e-3, (f"dy_dt vs dy1/dt: rel err {gt.fmt(err0)}, vs dy2/dt: {gt.fmt(err1)}, "
                                    f"vs d(y1+y2)/dt: {gt.fmt(err_sum)}")


gt.main()
