"""Ground truth for pt-gh-saliency-maps-max-score-backward-one-image: the snippet's lines run on the scores of a small
CNN for one image that requires grad (as the notebook's input does): backward() runs and the map is image-sized."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-saliency-maps-max-score-backward-one-image"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 5)).eval()
    image = torch.rand(1, 3, 8, 8, requires_grad=True)
    preds = model(image)
    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__, {"torch": torch, "preds": preds, "input": image})))
    ok = err is None and tuple(ns["slc"].shape) == (8, 8)
    return not ok, f"error: {err or 'none'}; saliency map shape {tuple(ns['slc'].shape) if 'slc' in ns else None}"


gt.main()
