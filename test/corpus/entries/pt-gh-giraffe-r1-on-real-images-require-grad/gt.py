import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
sys.path.insert(0, os.path.join(HERE, "workspace"))  # im2scene/training.py, as the snippet imports it
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-giraffe-r1-on-real-images-require-grad"


class _Gen(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(4, 3 * 8 * 8)

    def forward(self):
        return torch.tanh(self.lin(torch.randn(6, 4, dtype=torch.float64))).view(6, 3, 8, 8)


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    disc = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3), torch.nn.Softplus(), torch.nn.Flatten(), torch.nn.Linear(4 * 6 * 6, 1)
    ).double()
    gen = _Gen().double()
    model = type("Model", (), {"generator": gen, "discriminator": disc})()
    opt_d = torch.optim.SGD(disc.parameters(), lr=0.0)  # lr 0: the step leaves the weights to compare gradients
    trainer = ns["Trainer"](model, None, opt_d, device="cpu")
    real = torch.rand(6, 3, 8, 8, dtype=torch.float64)
    torch.manual_seed(1)
    _, reg, _, _ = trainer.train_step_discriminator({"image": real})
    got = [p.grad.clone() for p in disc.parameters()]
    # Independent: the loss of real BCE + 10 * R1 on the real images + fake BCE, its gradient in the critic's weights.
    torch.manual_seed(1)
    with torch.no_grad():
        fake = gen()
    x = real.clone().requires_grad_(True)
    d_real = disc(x)
    g = torch.autograd.grad(d_real.sum(), x, create_graph=True)[0]
    r1 = 10.0 * g.pow(2).reshape(6, -1).sum(1).mean()
    loss = (F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real)) + r1
            + F.binary_cross_entropy_with_logits(disc(fake), torch.zeros_like(d_real)))
    want = torch.autograd.grad(loss, list(disc.parameters()))
    err = max(gt.rel_err(a, b) for a, b in zip(got, want))
    reg_err = abs(reg - float(r1)) / float(r1)
    return err > 1e-8 or reg_err > 1e-8, f"critic gradient vs loss with R1: rel err {gt.fmt(err)}; reg {gt.fmt(reg)} vs {gt.fmt(float(r1))}"


gt.main()
