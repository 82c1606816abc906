"""Ground truth for pt-gh-yolov5-val-pgd-perturb-smart-inference-mode: the workspace's smart_inference_mode (with
check_version for torch >= 1.9, as on any current torch) decorates a function that calls a PGD stand-in (the core of
advertorch's perturb_iterative) inside torch.enable_grad(), as the snippet's run does: the attack raises."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-yolov5-val-pgd-perturb-smart-inference-mode"


def perturb(model, x, y, eps=8 / 255, eps_iter=2 / 255, nb_iter=3):
    delta = torch.zeros_like(x).requires_grad_()
    for _ in range(nb_iter):
        loss = F.cross_entropy(model(x + delta), y)
        loss.backward()
        delta.data = (delta.data + eps_iter * delta.grad.data.sign()).clamp(-eps, eps)
        delta.grad.data.zero_()
    return (x + delta).clamp(0, 1).detach()


@gt.case(CASE)
def _():
    src = open(os.path.join(HERE, "workspace", "utils", "torch_utils.py")).read().replace("from utils.general import check_version\n", "")
    ns = {"check_version": lambda current, minimum: tuple(int(p) for p in current.split("+")[0].split(".")[:2]) >= (1, 9)}
    exec(compile(src, "torch_utils.py", "exec"), ns)
    model = gt.mlp(6, 3, dtype=torch.float32)
    x, y = torch.rand(8, 6), torch.randint(0, 3, (8,))

    @ns["smart_inference_mode"]()
    def run():
        with torch.enable_grad():
            return perturb(model, x, y)

    err = gt.raises(run)
    moved = float((perturb(model, x, y) - x).abs().max())  # the same attack outside the decorated function
    return err is not None, f"under @smart_inference_mode() with enable_grad(): {err}; outside it the attack moves inputs by up to {gt.fmt(moved)}"


gt.main()
