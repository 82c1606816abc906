import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-so-gan-generator-then-discriminator-backward-twice"


@gt.case(CASE)
def _():
    # The question elides how the losses are computed ("computing loss_g and loss_d..."); as described,
    # both come from one generated batch that is not detached for the discriminator.
    torch.manual_seed(0)
    G, D = gt.mlp(4, 3), torch.nn.Sequential(gt.mlp(3, 1), torch.nn.Sigmoid())
    bce = torch.nn.BCELoss()
    z, real = torch.randn(8, 4, dtype=torch.float64), torch.randn(8, 3, dtype=torch.float64)
    fake = G(z)
    ones, zeros = torch.ones(8, 1, dtype=torch.float64), torch.zeros(8, 1, dtype=torch.float64)
    loss_g = bce(D(fake), ones)
    loss_d = bce(D(real), ones) + bce(D(fake), zeros)
    names = {"loss_g": loss_g, "loss_d": loss_d,
             "optim_g": torch.optim.Adam(G.parameters()), "optim_d": torch.optim.Adam(D.parameters())}
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None, f"quoted update: {err or 'no error'}"


gt.main()
