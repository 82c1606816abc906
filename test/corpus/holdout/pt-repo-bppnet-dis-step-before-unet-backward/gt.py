import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch, torch.nn as nn, torch.optim as optim

CASE = "pt-repo-bppnet-dis-step-before-unet-backward"


def spectral_norm(module, mode=True):  # as in the notebook
    return nn.utils.spectral_norm(module) if mode else module


class Discriminator(nn.Module):
    """Two-layer cut of the notebook's spectral-norm PatchGAN discriminator (same layer types)."""

    def __init__(self, in_channels, use_sigmoid=True, use_spectral_norm=True):
        super().__init__()
        self.use_sigmoid = use_sigmoid
        self.conv1 = nn.Sequential(
            spectral_norm(nn.Conv2d(in_channels, 8, 4, 2, 1, bias=not use_spectral_norm), use_spectral_norm),
            nn.LeakyReLU(0.2, inplace=True))
        self.conv2 = nn.Sequential(
            spectral_norm(nn.Conv2d(8, 1, 4, 1, 1, bias=not use_spectral_norm), use_spectral_norm))

    def forward(self, x):
        conv1 = self.conv1(x)
        conv2 = self.conv2(conv1)
        outputs = torch.sigmoid(conv2) if self.use_sigmoid else conv2
        return outputs, [conv1, conv2]


class AdversarialLoss(nn.Module):  # the notebook's 'hinge' branch
    def __init__(self, type='hinge'):
        super().__init__()

    def __call__(self, outputs, is_real, is_disc=None):
        return -torch.log(outputs).mean() if is_real else -torch.log(1 - outputs).mean()


def UNet(in_channels, out_channels):  # a one-layer stand-in for the U-Net generator
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, padding=1), nn.Sigmoid())


@gt.case(CASE)
def _():
    # CPU run: .cuda() and DataParallel become no-ops; everything else is the snippet's text.
    patched = [(torch.Tensor, "cuda"), (nn.Module, "cuda")]
    saved = [getattr(o, n) for o, n in patched]
    torch.Tensor.cuda = lambda self, *a, **k: self
    nn.Module.cuda = lambda self, *a, **k: self
    nn_shim = types.SimpleNamespace(**{k: getattr(nn, k) for k in dir(nn) if not k.startswith("__")})
    nn_shim.DataParallel = lambda module, device_ids=None: module
    try:
        torch.manual_seed(0)
        loader = [(torch.rand(2, 3, 16, 16), torch.rand(2, 3, 16, 16)) for _ in range(2)]
        ns = gt.exec_snippet(__file__, {"nn": nn_shim, "optim": optim, "torch": torch, "UNet": UNet,
                                        "Discriminator": Discriminator, "AdversarialLoss": AdversarialLoss,
                                        "train_loader": loader})
        ns["DUNet"] = ns["DU_Net"](3, 3, 3)
        err = gt.raises(lambda: ns["train"](1))
    finally:
        for (o, n), v in zip(patched, saved):
            setattr(o, n, v)
    return err is not None and "inplace operation" in err, f"unet_loss.backward() after dis_optimizer.step(): {(err or 'no error')[:170]}"


gt.main()
