import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-so-vanilla-gradient-saliency-input-requires-grad"


@gt.case(CASE)
def _():
    # The snippet's text in two parts: the question's model class, then the answer's lines with `x, y = ...`
    # (an elided data loader in the answer) given one MNIST-shaped image and its label.
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        src = fh.read()
    model_part, answer_part = src.split("x, y = ...", 1)
    answer_part = answer_part.split("\n", 1)[1]
    ns = {"nn": nn, "F": F}
    exec(compile(model_part, "snippet.py", "exec"), ns)
    torch.manual_seed(0)
    model = ns["MnistCNN"]().double().eval()  # eval: dropout off, so the check below is deterministic
    criterion = nn.CrossEntropyLoss()
    x = torch.rand(1, 1, 28, 28, dtype=torch.float64)
    y = torch.tensor([3])
    ns.update({"model": model, "criterion": criterion, "x": x, "y": y})
    exec(compile(answer_part, "snippet.py", "exec"), ns)
    g = ns["x"].grad
    if g is None:
        return True, "x.grad is None"
    # Directional finite difference of the loss along a random direction, against <x.grad, v>.
    v = torch.randn_like(x)
    h = 1e-6
    with torch.no_grad():
        fd = (criterion(model(x + h * v), y) - criterion(model(x - h * v), y)) / (2 * h)
    ad = float((g * v).sum())
    rel = abs(ad - float(fd)) / max(abs(float(fd)), 1e-12)
    return rel > 1e-5, f"<x.grad, v> {gt.fmt(ad)} vs finite difference {gt.fmt(float(fd))} (rel {gt.fmt(rel)})"


gt.main()
