import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-simple-cyclegan-discriminator-after-generator-step"


class GANLoss:
    """LSGAN loss as the repository's model.GANLoss(gan_mode='lsgan'): MSE against a tensor of ones or zeros."""

    def __init__(self, gan_mode="lsgan"):
        self.gan_mode = gan_mode

    def __call__(self, prediction, target_is_real):
        target = torch.ones_like(prediction) if target_is_real else torch.zeros_like(prediction)
        return torch.nn.functional.mse_loss(prediction, target)


@gt.case(CASE)
def _():
    # The quoted train() runs unchanged; small MLPs stand in for ResnetGenerator / NLayerDiscriminator
    # (the in-place problem does not depend on the layers), two batches of 6-dim "images" for the data set.
    torch.manual_seed(0)
    batches = [{"A": torch.randn(4, 6, dtype=torch.float64), "B": torch.randn(4, 6, dtype=torch.float64)}
               for _ in range(2)]
    names = {
        "Config": lambda: SimpleNamespace(gpu=False, g_lr=2e-4, d_lr=2e-4, beta1=0.5, max_epochs=1),
        "create_dataset": lambda opt: batches,
        "ResnetGenerator": lambda opt: gt.mlp(6, 6, width=8),
        "NLayerDiscriminator": lambda opt: gt.mlp(6, 1, width=8),
        "GANLoss": GANLoss,
    }
    ns = gt.exec_snippet(__file__, names)
    err = gt.raises(lambda: ns["train"]())
    return err is not None and "inplace" in err, f"train(): {err or 'no error'}"


gt.main()
