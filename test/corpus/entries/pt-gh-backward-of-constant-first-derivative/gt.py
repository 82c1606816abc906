import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-backward-of-constant-first-derivative"


@gt.case(CASE)
def _():
    # Same lines as the snippet; grad_outputs is a scalar 2 (PyTorch 1.13 refuses shape [1] for a scalar output).
    def run():
        a = torch.autograd.Variable(torch.FloatTensor([[1, 2, 3], [4, 5, 6]]), requires_grad=1)
        b = torch.mul(a, 2)
        c = b.sum()
        d = torch.autograd.grad(c, b, torch.tensor(2.0), create_graph=True)[0]
        d.sum().backward()

    err = gt.raises(run)
    return err is not None, f"d.sum().backward(): {err or 'no error'}"


gt.main()
