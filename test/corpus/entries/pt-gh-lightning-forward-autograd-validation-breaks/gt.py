import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-lightning-forward-autograd-validation-breaks"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    model = ns["Feedforward"](3, 8)
    x, target = ns["test_input"], ns["test_output"]
    # training: grad enabled, the derivative output trains
    loss = ((model(x) - target) ** 2).mean()
    trains = loss.grad_fn is not None
    # validation: Lightning of that time ran evaluation under torch.set_grad_enabled(False)
    def validate():
        with torch.set_grad_enabled(False):
            return ((model(x) - target) ** 2).mean()
    err = gt.raises(validate)
    return err is not None, f"training forward has a graph: {trains}; the same forward in validation raised {err}"


gt.main()
