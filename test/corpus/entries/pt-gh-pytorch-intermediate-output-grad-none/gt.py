import os, sys, warnings
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

warnings.filterwarnings("ignore")


@gt.case("pt-gh-pytorch-intermediate-output-grad-none")
def _():
    printed = []
    ns = gt.exec_snippet(__file__, {"print": lambda *a: printed.append(a)})
    out_grad = printed[-1][0]
    # What the asker wanted, d loss / d output, is all ones (loss = sum(output)); retain_grad() gives it.
    return out_grad is None, f"output.grad printed: {out_grad}; input.grad size: {tuple(ns['input'].grad.shape)}"


gt.main()
