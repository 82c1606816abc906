import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-repo-acgan-mnist-detach-fake-for-d"


class _NetG(torch.nn.Module):
    """Stand-in for ACGAN.netG: noise (B, nz, 1, 1) -> image (B, 1, 8, 8)."""

    def __init__(self, nz, ngf, n_channel):
        super().__init__()
        self.fc = torch.nn.Linear(nz, 8 * 8 * n_channel)

    def forward(self, z):
        return torch.tanh(self.fc(z.flatten(1))).view(z.shape[0], -1, 8, 8)


class _NetD(torch.nn.Module):
    """Stand-in for ACGAN.netD: image -> (real/fake probability (B,), class log-probabilities (B, n_label))."""

    def __init__(self, ndf, n_channel, n_label):
        super().__init__()
        self.body = torch.nn.Linear(8 * 8 * n_channel, 16)
        self.s = torch.nn.Linear(16, 1)
        self.c = torch.nn.Linear(16, n_label)

    def forward(self, x):
        h = torch.tanh(self.body(x.flatten(1)))
        return torch.sigmoid(self.s(h)).view(-1), torch.log_softmax(self.c(h), dim=1)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    batches = [(torch.rand(4, 1, 8, 8) * 2 - 1, torch.randint(10, (4,))) for _ in range(3)]
    sys.modules["ACGAN"] = types.SimpleNamespace(netG=_NetG, netD=_NetD)
    sys.modules["get_mnist_loader"] = types.SimpleNamespace(get_loaders=lambda size, bs: (batches, None))
    # Watch one step of each optimizer: G must move through D's verdict on fake_img, D must not be pushed by errG.
    seen = {}
    orig_step = torch.optim.Adam.step

    def step(self, *a, **k):
        params = [p for g in self.param_groups for p in g["params"]]
        seen.setdefault(id(self), []).append([None if p.grad is None else p.grad.detach().clone() for p in params])
        return orig_step(self, *a, **k)

    torch.optim.Adam.step = step
    try:
        error = gt.raises(lambda: gt.exec_snippet(__file__, {"valid_image_size": 8}))
    finally:
        torch.optim.Adam.step = orig_step
    if error:
        return True, f"the training loop raised {error}"
    g_grads = [gs for gs in seen.values()][1]  # second optimizer created is optimizerG
    g_ok = all(g is not None and float(g.abs().max()) > 0 for step_grads in g_grads for g in step_grads)
    return (not g_ok), f"{len(g_grads)} generator steps (20 epochs x 3 batches), no error; every optimizerG.step saw nonzero generator gradients: {g_ok}"


gt.main()
