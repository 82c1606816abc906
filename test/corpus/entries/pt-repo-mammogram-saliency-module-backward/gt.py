import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-mammogram-saliency-module-backward"


@gt.case(CASE)
def _():
    # A small convolutional classifier stands in for the trained mammogram model (1-channel images).
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                                torch.nn.Flatten(), torch.nn.Linear(4, 2))
    ns = gt.exec_snippet(__file__)
    x = torch.rand(2, 1, 16, 16)
    err = gt.raises(lambda: ns["get_saliency_map"](model, x))
    return err is not None, f"get_saliency_map: {err or 'no error'}"


gt.main()
