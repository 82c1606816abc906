"""Ground truth for pt-gh-munit-content-code-detached-target: the snippet's training loop runs for one batch with
small stand-ins for MUNIT's encoders (content and style codes), decoders and multi-scale critics
(compute_loss as a least-squares GAN loss). The content loss on the detached target must still give the second
encoder gradients (through c_code_12), and the generator step must move every encoder and decoder."""
import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-munit-content-code-detached-target"


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.content = nn.Conv2d(3, 4, 3, padding=1)
        self.style = nn.Linear(3 * 8 * 8, 2)

    def forward(self, x):
        return torch.tanh(self.content(x)), self.style(x.flatten(1)).view(-1, 2, 1, 1)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 3, 3, padding=1)
        self.mod = nn.Linear(2, 3)

    def forward(self, c, s):
        return torch.tanh(self.conv(c) + self.mod(s.flatten(1)).view(-1, 3, 1, 1))


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 1, 3, padding=1)

    def compute_loss(self, x, gt_value):
        return ((self.conv(x) - gt_value) ** 2).mean()


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    Enc1, Enc2, Dec1, Dec2, D1, D2 = Encoder(), Encoder(), Decoder(), Decoder(), Critic(), Critic()
    before = {n: [p.detach().clone() for p in m.parameters()] for n, m in [("Enc1", Enc1), ("Enc2", Enc2), ("Dec1", Dec1), ("Dec2", Dec2)]}
    batch = {"A": torch.randn(4, 3, 8, 8), "B": torch.randn(4, 3, 8, 8)}
    opt = SimpleNamespace(lr=1e-2, b1=0.5, b2=0.999, epoch=0, n_epochs=1, style_dim=2)
    ns = gt.exec_snippet(__file__, {
        "Enc1": Enc1, "Enc2": Enc2, "Dec1": Dec1, "Dec2": Dec2, "D1": D1, "D2": D2, "opt": opt,
        "dataloader": [batch], "Tensor": torch.FloatTensor, "criterion_recon": nn.L1Loss(), "valid": 1.0, "fake": 0.0,
    })
    # The content term alone, on the snippet's last codes: its gradient for Enc2 comes through c_code_12.
    for p in Enc2.parameters():
        p.grad = None
    c_code_1, _ = Enc1(ns["X1"])
    X12 = Dec2(c_code_1, ns["style_2"])
    c_code_12, _ = Enc2(X12)
    nn.L1Loss()(c_code_12, c_code_1.detach()).backward()
    g_content = max(float(p.grad.abs().max()) for p in Enc2.parameters() if p.grad is not None)
    moved = {n: max(float((p.detach() - b).abs().max()) for p, b in zip(m.parameters(), before[n])) for n, m in [("Enc1", Enc1), ("Enc2", Enc2), ("Dec1", Dec1), ("Dec2", Dec2)]}
    ok = g_content > 0 and all(v > 0 for v in moved.values())
    return not ok, f"content loss gradient for Enc2 {gt.fmt(g_content)}; largest parameter change per module after the step {moved}"


gt.main()
