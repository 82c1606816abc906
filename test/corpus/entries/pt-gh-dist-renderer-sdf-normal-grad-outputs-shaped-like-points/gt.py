import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-dist-renderer-sdf-normal-grad-outputs-shaped-like-points"


class _Decoder(torch.nn.Module):
    """A DeepSDF-style decoder (latent code concatenated with xyz -> one SDF value) with the `inference` method
    decode_sdf calls."""

    def __init__(self, latent=4):
        super().__init__()
        self.net = gt.mlp(latent + 3, 1)

    def inference(self, inputs):
        return self.net(inputs)


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    decoder = _Decoder()
    latent = torch.randn(1, 4, dtype=torch.float64)
    points = torch.rand(16, 3, dtype=torch.float64, requires_grad=True)
    err = gt.raises(lambda: ns["decode_sdf_gradient"](decoder, latent, points))
    if err is not None:
        return True, f"decode_sdf_gradient raised {err}"
    return False, "decode_sdf_gradient returned the SDF gradient"


gt.main()
