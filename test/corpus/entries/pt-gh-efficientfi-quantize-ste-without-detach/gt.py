import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-efficientfi-quantize-ste-without-detach"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    vq = ns["Quantize"](num_embeddings=8, embedding_dim=4, commitment_cost=0.25)
    enc = torch.nn.Conv2d(2, 4, 1)
    z = enc(torch.randn(3, 2, 5, 5))
    z.retain_grad()
    loss_vq, quantized, _, _ = vq(z)
    recon = (quantized ** 2).mean()  # any loss on the quantized output (the decoder path)
    recon.backward()
    enc_grad = float(z.grad.abs().max())
    cb = vq._embedding.weight.grad
    cb_grad = 0.0 if cb is None else float(cb.abs().max())
    return enc_grad == 0.0 and cb_grad > 0.0, f"encoder-output grad from the reconstruction path: {enc_grad:.3g}; codebook grad: {cb_grad:.3g}"


gt.main()
