import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-batchnorm-train-mode-input-gradient-pinn"


@gt.case(CASE)
def _():
    # The quoted loop ends with the BatchNorm network (train mode, as the asker needs during PINN training).
    # Its pred_dx is compared with each point's own derivative du/dx: central differences of the same
    # network evaluated in the same mode on the batch with only that point moved would still couple, so
    # the reference is the network with the batch statistics frozen at this batch's values (what the
    # output of one point depends on once the other points are fixed).
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"axs": [None, None]})
    net, x, got = ns["net"], ns["x_vals"], ns["pred_dx"].detach().double()
    assert net.batch_norm and net.training
    with torch.no_grad():
        h = net.act_fn(net.aff1(x[:, None]))
        mean, var = h.mean(0), h.var(0, unbiased=False)

    def per_point(xs):
        t = torch.tensor(xs, dtype=torch.float32)
        with torch.no_grad():
            hh = net.act_fn(net.aff1(t))
            return net.aff2((hh - mean) / torch.sqrt(var + net.bn.eps)).double().numpy()

    want = gt.fd_gradient(per_point, x.detach().double().numpy()[:, None], h=1e-3)[:, 0]
    err = float(np.max(np.abs(got.numpy() - want)) / max(np.max(np.abs(want)), 1e-12))
    return err > 0.05, f"train-mode BatchNorm: grad of pred.sum() vs each point's own du/dx, rel err {err:.3g} (max |pred_dx| {float(got.abs().max()):.2e}, max |du/dx| {float(np.max(np.abs(want))):.2e})"


gt.main()
