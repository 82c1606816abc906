import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-vq-lam-codebook-loss-ste-output"


@gt.case(CASE)
def _():
    # The repository's VectorQuantizer (workspace file), run as written.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workspace", "lam", "modules", "blocks.py")
    ns = {"__name__": "blocks"}
    exec(compile(open(path, encoding="utf-8").read(), path, "exec"), ns)
    torch.manual_seed(0)
    vq = ns["VectorQuantizer"](num_latents=8, latent_dim=4, code_restart=True)
    pre_vq = torch.nn.Linear(6, 4)
    z_e = pre_vq(torch.randn(10, 6))
    # encode(): z_q, _, _, indices = self.vq(z_e); forward(): the two VQ loss terms as quoted.
    z_q, _, _, indices = vq(z_e)
    commitment_loss = F.mse_loss(z_q.detach(), z_e)
    codebook_loss = F.mse_loss(z_q, z_e.detach())
    vq_loss = codebook_loss + 0.25 * commitment_loss
    vq_loss.backward()
    g = vq.codebook.weight.grad
    cb = 0.0 if g is None else float(g.abs().max())
    enc = float(pre_vq.weight.grad.abs().max())
    return cb == 0.0 and enc > 0.0, f"codebook grad: {'None' if g is None else f'max {cb:.3g}'}; encoder (pre_vq) grad max {enc:.3g}"


gt.main()
