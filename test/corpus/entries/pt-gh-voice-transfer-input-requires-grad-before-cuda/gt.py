import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd import Variable  # noqa: E402

CASE = "pt-gh-voice-transfer-input-requires-grad-before-cuda"


@gt.case(CASE)
def _():
    # No GPU here: Tensor.cuda() becomes .to(torch.float64), the same differentiable _to_copy node a device move records.
    real_cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self.to(torch.float64)
    try:
        names = {"torch": torch, "Variable": Variable, "cuda": True, "args": type("A", (), {"learning_rate": 0.002})(),
                 "a_content_torch": torch.rand(1, 1, 4, 6), "num_epochs": 2}
        err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    finally:
        torch.Tensor.cuda = real_cuda
    return err is not None and "non-leaf" in err, f"building the optimizer raised {err}"


gt.main()
