import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-argmax-between-modules-first-grad-none"


@gt.case(CASE)
def _():
    # The issue quotes the argmax line and the gradient printout; the models and the loss between them are not
    # shown. Reproduction: a first module's scores, argmax, a second module (an embedding of the chosen index,
    # the only way a class index enters a module), a loss; then the snippet's own printout code.
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        src = fh.read()
    argmax_line, rest = src.split("\n", 1)
    torch.manual_seed(0)
    first_model = torch.nn.Linear(4, 3)
    second_model = torch.nn.Embedding(3, 2)
    ns = {"torch": torch, "first_model": first_model, "second_model": second_model}
    ns["y_p"] = first_model(torch.randn(5, 4))
    exec(compile(argmax_line, "snippet.py", "exec"), ns)
    ns["loss"] = second_model(ns["y_p"]).pow(2).sum()
    err = gt.raises(lambda: exec(compile("\n" + rest, "snippet.py", "exec"), ns))
    grads = [p.grad for p in first_model.parameters()]
    none = all(g is None for g in grads)
    return none, f"first_model grads all None: {none}; printing them: {err}"


gt.main()
