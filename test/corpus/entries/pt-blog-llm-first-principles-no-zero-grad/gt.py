import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-llm-first-principles-no-zero-grad"


class LossModel(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = gt.mlp(3, 1)

    def forward(self, batch):
        x, y = batch
        return ((self.net(x) - y) ** 2).mean()


class Recorder(torch.optim.SGD):
    """SGD that records the gradient it is given at each step."""

    def __init__(self, params, lr):
        super().__init__(params, lr=lr)
        self.seen = []
        self.weights = []

    def step(self, closure=None):
        self.seen.append([p.grad.detach().clone() for g in self.param_groups for p in g["params"]])
        self.weights.append([p.detach().clone() for g in self.param_groups for p in g["params"]])
        return super().step(closure)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    data = [(torch.randn(8, 3, dtype=torch.float64), torch.randn(8, 1, dtype=torch.float64)) for _ in range(3)]
    model = LossModel()
    ref = LossModel()
    optimizer = Recorder(model.parameters(), lr=0.05)
    gt.exec_snippet(__file__, {"data": data, "model": model, "optimizer": optimizer})
    # the gradient of the last batch alone, at the weights the last step started from
    with torch.no_grad():
        for p, w in zip(ref.parameters(), optimizer.weights[-1]):
            p.copy_(w)
    ref(data[-1]).backward()
    fresh = [p.grad.detach().clone() for p in ref.parameters()]
    err = gt.rel_err(torch.cat([g.flatten() for g in optimizer.seen[-1]]), torch.cat([g.flatten() for g in fresh]))
    return err > 1e-6, f"last step's gradient vs the current batch's gradient: rel err {err:.3g}"


gt.main()
