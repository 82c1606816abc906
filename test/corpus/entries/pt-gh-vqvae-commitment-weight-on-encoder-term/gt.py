import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-vqvae-commitment-weight-on-encoder-term"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    m = ns["VQVAEQuantize"](num_hiddens=4, embedding_dim=3, n_embed=5).double()
    m.data_initialized.fill_(1)  # skip the k-means initialisation (needs a data set)
    z = torch.randn(2, 4, 3, 3, dtype=torch.float64)
    _, diff, ind = m(z)
    params = [m.proj.weight, m.embed.weight]
    got = torch.autograd.grad(diff, params)
    # VQ-VAE loss (van den Oord et al. eq. 3): ||sg[z_e] - e||^2 + beta ||z_e - sg[e]||^2, beta = 0.25:
    # the codebook term has weight 1, the commitment term (pulling the encoder) weight beta.
    z_e = m.proj(z).permute(0, 2, 3, 1)
    z_q = m.embed_code(ind)
    ref = (z_q - z_e.detach()).pow(2).mean() + 0.25 * (z_q.detach() - z_e).pow(2).mean()
    want = torch.autograd.grad(ref, params)
    r_enc, r_code = gt.ratio(got[0], want[0]), gt.ratio(got[1], want[1])
    bad = abs(r_enc - 1) > 1e-6 or abs(r_code - 1) > 1e-6
    return bad, f"gradient / paper's gradient: encoder (proj) x{r_enc:.3g}, codebook x{r_code:.3g}"


gt.main()
