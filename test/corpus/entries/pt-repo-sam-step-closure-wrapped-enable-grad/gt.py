import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-sam-step-closure-wrapped-enable-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    model = gt.mlp(3, 1)
    torch.manual_seed(1)
    x, y = torch.rand(32, 3, dtype=torch.float64), torch.rand(32, 1, dtype=torch.float64)
    opt = ns["SAM"](model.parameters(), torch.optim.SGD, rho=0.05, lr=0.1)

    def closure():  # the README's closure: a full forward-backward pass
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        return loss

    def train():
        for _ in range(5):
            torch.nn.functional.mse_loss(model(x), y).backward()
            opt.step(closure)
            opt.zero_grad()

    before = float(torch.nn.functional.mse_loss(model(x), y))
    err = gt.raises(train)
    after = float(torch.nn.functional.mse_loss(model(x), y))
    return err is not None or not after < before, f"raised {err}; loss {gt.fmt(before)} -> {gt.fmt(after)}"


gt.main()
