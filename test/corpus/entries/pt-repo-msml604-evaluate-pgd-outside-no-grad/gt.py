"""Ground truth for pt-repo-msml604-evaluate-pgd-outside-no-grad: the snippet's evaluate (run as written, with the
workspace's attacks/pgd.py importable) on a small classifier and one batch, adversarial=True: the attack's
torch.autograd.grad runs with recording on, and the perturbed images differ from the clean ones."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
sys.path.insert(0, os.path.join(HERE, "workspace"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-msml604-evaluate-pgd-outside-no-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {})
    from attacks.pgd import pgd_attack
    model = gt.mlp(6, 3, dtype=torch.float32)
    x, y = torch.rand(8, 6), torch.randint(0, 3, (8,))
    config = {"device": "cpu", "epsilon": 0.1, "alpha": 0.05, "pgd_steps": 3}
    err = gt.raises(lambda: ns["evaluate"](model, [(x, y)], config, adversarial=True))
    moved = float((pgd_attack(model, x, y, 0.1, 0.05, 3) - x).abs().max())
    return err is not None or moved == 0.0, f"evaluate(adversarial=True): {err or 'ran'}; the attack moves inputs by up to {gt.fmt(moved)}"


gt.main()
