import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-residual-vq-residual-minus-ste-output"


class STEQuantizer(torch.nn.Module):
    """Stand-in for VectorQuantize: nearest code, straight-through output, commitment loss."""

    def __init__(self, codes):
        super().__init__()
        self.codes = torch.nn.Parameter(codes)

    def forward(self, x):
        d = ((x[..., None, :] - self.codes) ** 2).sum(-1)
        idx = d.argmin(-1)
        q = self.codes[idx]
        loss = F.mse_loss(q.detach(), x)
        return x + (q - x).detach(), idx, loss


@gt.case(CASE)
def _():
    # Stub the package imports the quoted file makes (VectorQuantize itself is replaced below).
    pkg = types.ModuleType("vector_quantize_pytorch")
    sub = types.ModuleType("vector_quantize_pytorch.vector_quantize_pytorch")
    sub.VectorQuantize = STEQuantizer
    sys.modules["vector_quantize_pytorch"] = pkg
    sys.modules["vector_quantize_pytorch.vector_quantize_pytorch"] = sub
    ein = types.ModuleType("einops")
    ein.rearrange = ein.repeat = None
    sys.modules.setdefault("einops", ein)
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    rvq = ns["ResidualVQ"].__new__(ns["ResidualVQ"])
    torch.nn.Module.__init__(rvq)
    rvq.layers = torch.nn.ModuleList([STEQuantizer(torch.randn(4, 3)) for _ in range(3)])
    rvq.num_quantizers = 3
    rvq.quantize_dropout = False
    rvq.train()
    grads = []
    for i in range(3):
        x = torch.randn(2, 5, 3, requires_grad=True)
        _, _, losses = rvq(x)
        losses[..., i].sum().backward()
        grads.append(0.0 if x.grad is None else float(x.grad.abs().max()))
    return grads[0] > 0 and grads[1] == 0.0 and grads[2] == 0.0, f"input grad from each layer's commitment loss: {['%.3g' % g for g in grads]}"


gt.main()
