import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
sys.path.insert(0, os.path.join(HERE, "workspace"))  # the repository's utils.py, as the snippet imports it
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-git-integrated-gradients-normalized-delta-times-normalized-grads"


@gt.case(CASE)
def _():
    utils = gt.exec_snippet(__file__, {}, snippet=os.path.join("workspace", "utils.py"))
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    h = w = 4
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * h * w, 8), torch.nn.Tanh(), torch.nn.Linear(8, 5))
    rng = np.random.RandomState(0)
    image = rng.uniform(0, 255, size=(h, w, 3))
    target = 2
    ig = ns["integrated_gradients"](image, model, target, utils["calculate_outputs_and_gradients"], None, steps=400)

    def score(img):
        with torch.no_grad():
            return float(F.softmax(model(utils["pre_processing"](img, False)), dim=1)[0, target])

    # Completeness: the attributions of integrated gradients add up to F(input) - F(baseline).
    expected = score(image) - score(0 * image)
    total = float(np.sum(ig))
    err = abs(total - expected) / abs(expected)
    return err > 0.1, f"sum of attributions {gt.fmt(total)} vs F(x) - F(baseline) {gt.fmt(expected)} (rel. error {gt.fmt(err)})"


gt.main()
