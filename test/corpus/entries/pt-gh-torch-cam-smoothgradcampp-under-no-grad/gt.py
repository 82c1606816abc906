import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-torch-cam-smoothgradcampp-under-no-grad"


def cam_weights(no_grad: bool):
    """torchcam's gradient CAMs: a forward hook on the target layer registers a gradient hook on its output;
    the extractor call backpropagates the class score and reads the stored gradient (the snippet's model and
    data set are not available: a small CNN stands in)."""
    torch.manual_seed(0)
    target_layer = torch.nn.Conv2d(3, 4, 3)
    model = torch.nn.Sequential(target_layer, torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 2))
    model.eval()
    store = {}

    def hook(_m, _inp, out):
        store["act"] = out
        out.register_hook(lambda g: store.__setitem__("grad", g))

    target_layer.register_forward_hook(hook)
    x = torch.rand(1, 3, 8, 8)
    ctx = torch.no_grad() if no_grad else torch.enable_grad()
    with ctx:
        scores = model(x)
        scores[:, 1].sum().backward()
        return store["grad"].mean(dim=(2, 3))


@gt.case(CASE)
def _():
    ok = cam_weights(no_grad=False)
    err = gt.raises(lambda: cam_weights(no_grad=True))
    return err is not None, f"without no_grad the CAM weights have shape {tuple(ok.shape)}; under torch.no_grad() the forward pass raised {err}"


gt.main()
