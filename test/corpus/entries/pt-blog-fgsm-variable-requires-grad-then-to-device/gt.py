import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd import Variable  # noqa: E402

CASE = "pt-blog-fgsm-variable-requires-grad-then-to-device"


class Probe(torch.nn.Module):
    """Small classifier that remembers the tensor it was called with (the snippet's input_for_gradient)."""

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3).double()
        self.seen = None

    def forward(self, x):
        self.seen = x
        return self.fc(x)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"torch": torch, "Variable": Variable})
    model = Probe()
    # No GPU here: a dtype cast stands in for the CPU->CUDA move; both make .to() return a new, non-leaf tensor.
    attack = ns["FGSM"](model, torch.nn.CrossEntropyLoss(), 0.1, torch.float64)
    x = torch.rand(2, 4)
    attack(x, torch.tensor([0, 2]))
    fed = model.seen
    misbehaves = fed.grad is None
    return misbehaves, (
        f"after loss.backward(): input_for_gradient.is_leaf={fed.is_leaf}, .grad={'None' if fed.grad is None else 'set'} "
        "(.to() applied after requires_grad=True; a dtype cast stands in for .to('cuda') on this CPU-only machine)"
    )


gt.main()
