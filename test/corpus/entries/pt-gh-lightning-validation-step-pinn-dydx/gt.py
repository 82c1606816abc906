import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-lightning-validation-step-pinn-dydx"
L = gt.lightning_stand_in()


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})

    class PINN(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = gt.mlp(2, 1)

        def forward(self, x, t):
            return self.net(torch.cat([x, t], dim=1))

        validation_step = ns["validation_step"]

    module = PINN()
    x = torch.rand(16, 1, dtype=torch.float64, requires_grad=True)
    t = torch.rand(16, 1, dtype=torch.float64)
    # the same autograd.grad call with recording on, for contrast
    u = module(x, t)
    ok = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    err = gt.raises(lambda: L.Trainer().validate(module, [(x, t)]))
    return err is not None and "grad" in err, (
        f"with recording on, du/dx has shape {tuple(ok.shape)}; validation_step as Lightning runs it raised {err}")


gt.main()
