import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-expected-gradients-product-of-means"


@gt.case(CASE)
def _():
    # CPU run: the function hard-codes .cuda() for the sampled baselines; it is made the identity here.
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3), torch.nn.ReLU(), torch.nn.Flatten(),
                                torch.nn.Linear(8 * 26 * 26, 16), torch.nn.ReLU(), torch.nn.Linear(16, 10)).eval()
    with torch.no_grad():
        model[0].bias.sub_(0.3)  # a nonlinear regime over [0, 1] images, so the gradient changes along the paths
    ns = gt.exec_snippet(__file__)
    rng = np.random.RandomState(1)
    data = rng.rand(2, 1, 28, 28)
    background = rng.rand(16, 1, 28, 28)
    n_iter, target = 32, 3
    np.random.seed(7)
    quoted = ns["expected_gradients"](model, data, background, target, n_iter, device="cpu", visualize=False)
    # Expected gradients: the average over the sampled (baseline, alpha) pairs of (x - x'_k) * grad f(x'_k + alpha_k (x - x'_k)),
    # with the same baselines and alphas the function drew.
    np.random.seed(7)
    idx = np.random.choice(background.shape[0], size=(data.shape[0], n_iter), replace=background.shape[0] < n_iter)
    alpha = torch.linspace(0, 1, n_iter).view(n_iter, 1, 1, 1)
    ref_all = torch.from_numpy(background[idx]).float()
    expected = []
    for i in range(data.shape[0]):
        x = torch.from_numpy(data[i:i + 1]).float()
        ref = ref_all[i]
        sx = (ref + alpha * (x - ref)).requires_grad_(True)
        y = model(sx)[:, target]
        g = torch.autograd.grad(y, sx, torch.ones_like(y))[0]
        expected.append(((x - ref) * g).mean(0).squeeze().numpy())
    expected = np.array(expected)
    err = gt.rel_err(quoted, expected)
    return err > 0.05, f"quoted attributions vs mean of (x - x') * grad: rel err {err:.3g}"


gt.main()
