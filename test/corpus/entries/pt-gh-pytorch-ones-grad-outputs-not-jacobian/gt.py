"""Ground truth for pt-gh-pytorch-ones-grad-outputs-not-jacobian: the snippet runs as posted; its
last line, grad(y, x, ones_like(y)) for a 3-component y, is evaluated as an expression.
It is the vector-Jacobian product 1^T J (the sum of the three component gradients), not the Jacobian
J = [[2 x1, 2, 1], [1, 3 x2^2, 2 x3], [2, 2 x2, 3 x3^2]] the asker wants."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-ones-grad-outputs-not-jacobian")
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    ns = {}
    exec(compile("\n".join(lines[:-1]), path, "exec"), ns)
    got = eval(compile(lines[-1], path, "eval"), ns)[0]  # the snippet's last line, as an expression
    x1, x2, x3 = 1.0, 2.0, 3.0
    J = torch.tensor([[2 * x1, 2, 1], [1, 3 * x2 ** 2, 2 * x3], [2, 2 * x2, 3 * x3 ** 2]])
    is_jacobian = got.shape == J.shape and bool(torch.allclose(got, J))
    is_column_sum = bool(torch.allclose(got.view(-1), J.sum(0)))
    return not is_jacobian, f"grad(y, x, ones) = {got.tolist()} (shape {tuple(got.shape)}); analytic Jacobian {J.tolist()}; equals the sum of its rows: {is_column_sum}"


gt.main()
