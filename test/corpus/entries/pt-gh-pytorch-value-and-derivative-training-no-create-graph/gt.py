import builtins
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-value-and-derivative-training-no-create-graph"


@gt.case(CASE)
def _():
    # the quoted loop runs 10000 epochs; the measurement needs a few, so range() is capped at 20 for the run
    ns = gt.exec_snippet(__file__, {"range": lambda n: builtins.range(min(n, 20))})
    model, x, y, z = ns["model"], ns["x"], ns["y"], ns["z"]
    params = list(model.parameters())
    out = model(x)
    gx = torch.autograd.grad(out.sum(), x, retain_graph=True)[0]
    loss_y = torch.nn.MSELoss()(out, y)
    loss_z = torch.nn.MSELoss()(gx.sum(dim=-1).unsqueeze(-1), z)
    g_total = torch.autograd.grad(loss_y + loss_z, params, retain_graph=True)
    g_y = torch.autograd.grad(loss_y, params)
    share = gt.norm_of([a - b for a, b in zip(g_total, g_y)])
    return ns["loss_z"].grad_fn is None and share == 0.0, (
        f"loss_z.grad_fn = {ns['loss_z'].grad_fn}; derivative loss {gt.fmt(float(loss_z))}, its share of the weight gradient {gt.fmt(share)}")


gt.main()
