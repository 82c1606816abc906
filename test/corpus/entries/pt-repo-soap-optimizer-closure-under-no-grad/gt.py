import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-soap-optimizer-closure-under-no-grad"


@gt.case(CASE)
def _():
    # The snippet's SOAP.step() head, called the way closure-based training calls optimizer.step(closure).
    ns = gt.exec_snippet(__file__)
    SOAP = ns["SOAP"]
    model = gt.mlp(2, 1)
    opt = SOAP.__new__(SOAP)
    torch.optim.Optimizer.__init__(opt, model.parameters(), {})  # the constructor is trimmed from the snippet
    x, y = torch.rand(8, 2, dtype=torch.float64), torch.rand(8, 1, dtype=torch.float64)

    def closure():
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        return loss

    err = gt.raises(lambda: opt.step(closure))
    return err is not None, f"SOAP.step(closure): {err}"


gt.main()
