"""Ground truth for pt-gh-functorch-batch-jacobian-sum-trick (correct look-alike): the snippet's two
per-sample Jacobians of a tanh MLP over a batch of 128 points, (a) vmap(jacrev(model)) and (b)
jacobian of the batch-summed output, permuted. Summing over the batch before differentiating is
valid because each output row depends only on its own input row. Both must agree with each other
and with central finite differences of the same (float64) model, per output column."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-functorch-batch-jacobian-sum-trick")
def _():
    ns = gt.exec_snippet(__file__)
    ns["model"] = ns["model"].double()
    ns["points"] = ns["points"].double()
    a = ns["functorch_jacobian"]()
    b = ns["pytorch_jacobian"]()
    model, pts = ns["model"], ns["points"]
    fd = np.stack([gt.fd_gradient(lambda x, k=k: model(torch.tensor(x)).detach().numpy()[:, k], pts.numpy())
                   for k in range(5)], axis=1)  # (batch, out, in)
    err_a, err_b = gt.rel_err(a, fd), gt.rel_err(b, fd)
    return not (err_a < 1e-6 and err_b < 1e-6 and tuple(b.shape) == (128, 5, 3)), (
        f"shapes {tuple(a.shape)} and {tuple(b.shape)}; rel err vs FD: vmap(jacrev) {gt.fmt(err_a)}, summed jacobian {gt.fmt(err_b)}")


gt.main()
