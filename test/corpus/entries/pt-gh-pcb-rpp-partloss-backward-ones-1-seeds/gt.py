"""Ground truth for pt-gh-pcb-rpp-partloss-backward-ones-1-seeds: the snippet's training step with a small stand-in
six-part classifier and nn.CrossEntropyLoss raises the shape mismatch; the same text with 0-dimensional seeds runs.
Stand-ins on this CPU-only machine: `Tensor.cuda` returns the tensor; `accuracy` (the repository's top-k accuracy,
not quoted) returns a one-element list."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class PartModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.parts = nn.ModuleList([nn.Linear(4, 3) for _ in range(6)])

    def forward(self, x):
        return x, [p(x) for p in self.parts]


def run(text):
    ns = {"__name__": "snippet", "accuracy": lambda output, target: ([torch.tensor(0.0)],)}
    exec(compile(text, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    model = PartModel()
    trainer = ns["Trainer"](model, nn.CrossEntropyLoss(), None, None)
    loader = [(torch.randn(5, 4), None, torch.randint(0, 3, (5,)), None)]
    trainer.train(0, loader, torch.optim.SGD(model.parameters(), lr=0.1))


@gt.case("pt-gh-pcb-rpp-partloss-backward-ones-1-seeds")
def _():
    torch.Tensor.cuda = lambda self, *a, **k: self
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert text.count("torch.ones(1).cuda()") == 7
    bug = gt.raises(lambda: run(text))
    # The same seven seeds, 0-dimensional (PyTorch 1.13 pairs seeds with losses and ignores the extra one).
    fixed = text.replace("torch.ones(1).cuda()", "torch.ones(()).cuda()")
    control = gt.raises(lambda: run(fixed))
    return bug is not None and "Mismatch in shape" in str(bug) and control is None, f"snippet raises {bug}; with 0-dim seeds raises {control}"


gt.main()
