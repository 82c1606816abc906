import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-datarater-inner-step-no-grad-ratings-optimizer-step"


class Config:
    device = "cpu"
    loss_type = "mse"
    grad_clip_norm = 1.0
    inner_steps = 2
    inner_lr = 0.1


class Log:
    def __init__(self):
        self.outer_loss = []


@gt.case(CASE)
def _():
    # The snippet's inner/outer steps on a small regression task: does the outer loss reach the rater?
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"DataRaterConfig": Config, "LoggingContext": Log})
    rater = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1), torch.nn.Flatten(0))
    inner = [gt.mlp(3, 1, act=torch.nn.Tanh)]
    for m in inner:
        m.float()
    inner_opts = [torch.optim.SGD(m.parameters(), lr=Config.inner_lr) for m in inner]
    outer_opt = torch.optim.Adam(rater.parameters(), lr=1e-2)
    train = [(torch.randn(16, 3), torch.randn(16, 1)) for _ in range(4)]
    val = [(torch.randn(16, 3), torch.randn(16, 1)) for _ in range(2)]
    before = [p.detach().clone() for p in rater.parameters()]
    ns["outer_loop_step"](Config(), Log(), rater, outer_opt, inner, inner_opts,
                          iter(train), iter(val), train, val)
    grads = [p.grad for p in rater.parameters()]
    moved = max(float((p.detach() - b).abs().max()) for p, b in zip(rater.parameters(), before))
    none = all(g is None for g in grads)
    return none and moved == 0.0, f"rater grads all None: {none}; largest change of a rater weight after the outer step: {moved:.3g}"


gt.main()
