import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-vid-ode-generator-backward-after-d-step"


class SmallD(torch.nn.Module):
    """Stands for models/gan.py's Discriminator: a conv net with the same two losses (the critic's loss on
    fake.detach(), the generator's adversarial loss on fake)."""

    def __init__(self, seq):
        super().__init__()
        self.seq = seq
        self.net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.LeakyReLU(0.2),
                                       torch.nn.Conv2d(8, 1, 3, padding=1))

    def forward(self, x):
        return self.net(x)

    def netD_adv_loss(self, real, fake, input_real):
        b, t, c, h, w = fake.size()
        pred_fake = self.forward(fake.detach().contiguous().view(-1, c, h, w))
        pred_real = self.forward(real.contiguous().view(-1, c, h, w))
        return (torch.mean((pred_real - 1) ** 2) + torch.mean(pred_fake ** 2)) * 0.5

    def netG_adv_loss(self, fake, input_real):
        b, t, c, h, w = fake.size()
        pred_fake = self.forward(fake.contiguous().view(-1, c, h, w))
        return torch.mean((pred_fake - 1) ** 2)


class SmallG(torch.nn.Module):
    """Stands for the ODE-ConvGRU generator: compute_all_losses returns the prediction and its MSE loss."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 3, 3, padding=1)

    def compute_all_losses(self, batch):
        x = batch["observed_data"]
        b, t, c, h, w = x.size()
        pred = self.conv(x.view(-1, c, h, w)).view(b, t, c, h, w)
        return {"loss": ((pred - batch["data_to_predict"]) ** 2).mean(), "pred_y": pred}


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    batch = {"observed_data": torch.randn(2, 3, 3, 8, 8), "data_to_predict": torch.randn(2, 3, 3, 8, 8)}
    utils = types.SimpleNamespace(update_learning_rate=lambda *a, **k: None,
                                  get_data_dict=lambda loader: batch, get_next_batch=lambda d: d)
    sys.modules["utils"] = utils
    d_img, d_seq = SmallD(False), SmallD(True)

    def create_netD(opt, device):
        return d_img, d_seq, torch.optim.Adam(list(d_img.parameters()) + list(d_seq.parameters()), lr=1e-3)

    opt = types.SimpleNamespace(lr=1e-3, epoch=1, lamb_adv=0.003, irregular=False)
    loaders = {"train_dataloader": None, "test_dataloader": None, "n_train_batches": 1, "n_test_batches": 0}
    ns = gt.exec_snippet(__file__, {"create_netD": create_netD})
    err = gt.raises(lambda: ns["train"](opt, SmallG(), loaders, "cpu"))
    return err is not None, f"one training iteration: {err or 'no error'}"


gt.main()
