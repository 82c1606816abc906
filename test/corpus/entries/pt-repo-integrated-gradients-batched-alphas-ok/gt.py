import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-integrated-gradients-batched-alphas-ok"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3), torch.nn.Tanh(), torch.nn.Flatten(),
                                torch.nn.Linear(8 * 26 * 26, 10)).eval()
    ns = gt.exec_snippet(__file__)
    data = np.random.RandomState(1).rand(2, 1, 28, 28)
    target, n_iter = 3, 400
    np.random.seed(5)
    attr = ns["integrated_gradients"](model, data, target, n_iter, device="cpu", visualize=False)
    # Completeness: the attributions of each image sum to f(x) - f(baseline), with the baseline the function drew.
    np.random.seed(5)
    base = torch.from_numpy(np.random.random(size=data.shape)).float()
    with torch.no_grad():
        diff = (model(torch.from_numpy(data).float()) - model(base))[:, target].numpy()
    sums = attr.reshape(2, -1).sum(1)
    err = float(np.max(np.abs(sums - diff)) / np.max(np.abs(diff)))
    return err > 0.02, f"sum of attributions {np.round(sums, 4).tolist()} vs f(x) - f(x') {np.round(diff, 4).tolist()}"


gt.main()
