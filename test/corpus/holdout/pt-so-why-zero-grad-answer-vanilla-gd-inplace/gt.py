import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-so-why-zero-grad-answer-vanilla-gd-inplace"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    src_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    src = open(src_path, encoding="utf-8").read()
    data = [torch.randn(4) for _ in range(3)]
    targets = [torch.randn(3) for _ in range(3)]
    errors = []

    # 1. The answer's text as it stands (data, targets given by the caller in place of `...`).
    def run_as_is():
        ns = {"learning_rate": 0.01}
        exec(compile(src.replace("data, targets = ...", "data, targets = DATA"), src_path, "exec"),
             dict(ns, DATA=(data, targets), __name__="snippet"))

    errors.append(gt.raises(run_as_is))

    # 2. The same loop once gradients exist (as after an earlier backward): the next statements fail in turn.
    W = torch.randn(4, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    W.grad, b.grad = torch.zeros_like(W), torch.zeros_like(b)
    loss = (torch.matmul(data[0], W) + b - targets[0]) ** 2
    errors.append(gt.raises(lambda: loss.backward()))
    errors.append(gt.raises(lambda: W.__isub__(0.01 * W.grad.data)))
    return all(e is not None for e in errors), " | ".join(e or "no error" for e in errors)


gt.main()
