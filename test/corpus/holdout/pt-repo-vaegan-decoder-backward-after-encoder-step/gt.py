import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch, torch.nn as nn
from torch.autograd import Variable
from torch.optim import RMSprop

CASE = "pt-repo-vaegan-decoder-backward-after-encoder-step"
D_IN, Z, H = 12, 4, 16


class VaeGan(nn.Module):
    """Small fully connected stand-in with the repository's forward structure and its loss (copied)."""

    def __init__(self):
        super().__init__()
        self.z_size = Z
        self.encoder = nn.Sequential(nn.Linear(D_IN, H), nn.ReLU(True), nn.Linear(H, 2 * Z))
        self.decoder = nn.Sequential(nn.Linear(Z, H), nn.ReLU(True), nn.Linear(H, D_IN))
        self.disc_body = nn.Sequential(nn.Linear(D_IN, H), nn.ReLU(inplace=True))
        self.disc_head = nn.Linear(H, 1)
        self.discriminator = nn.ModuleList([self.disc_body, self.disc_head])

    def forward(self, x):
        mus, log_variances = self.encoder(x).chunk(2, 1)
        z = mus + torch.randn_like(mus) * log_variances.mul(0.5).exp()
        x_tilde = self.decoder(z)
        x_p = self.decoder(torch.randn(len(x), Z))
        h = self.disc_body(torch.cat([x, x_tilde, x_p], 0))
        return x_tilde, torch.sigmoid(self.disc_head(h)), h, mus, log_variances

    @staticmethod
    def loss(x, x_tilde, disc_layer_original, disc_layer_predicted, disc_layer_sampled, disc_class_original, disc_class_predicted, disc_class_sampled, mus, variances):
        nle = 0.5*(x.view(len(x), -1) - x_tilde.view(len(x_tilde), -1)) ** 2
        kl = -0.5 * torch.sum(-variances.exp() - torch.pow(mus,2) + variances + 1, 1)
        mse = torch.sum(0.5*(disc_layer_original - disc_layer_predicted) ** 2, 1)
        bce_dis_original = -torch.log(disc_class_original + 1e-3)
        bce_dis_predicted = -torch.log(1 - disc_class_predicted + 1e-3)
        bce_dis_sampled = -torch.log(1 - disc_class_sampled + 1e-3)
        return nle, kl, mse, bce_dis_original, bce_dis_predicted, bce_dis_sampled


@gt.case(CASE)
def _():
    saved = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self  # CPU run; everything else is the snippet's text
    try:
        torch.manual_seed(0)
        net = VaeGan()
        opt = lambda ps: RMSprop(params=ps, lr=3e-4, alpha=0.9, eps=1e-8)
        names = {"torch": torch, "Variable": Variable, "VaeGan": VaeGan, "net": net,
                 "train_loader": [(torch.rand(5, D_IN), torch.zeros(5))],
                 "optimizer_encoder": opt(net.encoder.parameters()),
                 "optimizer_decoder": opt(net.decoder.parameters()),
                 "optimizer_discriminator": opt(net.discriminator.parameters()),
                 "lambda_mse": 1e-6, "equilibrium": 0.68, "margin": 0.35}
        err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    finally:
        torch.Tensor.cuda = saved
    return err is not None and "inplace operation" in err, f"backward after optimizer_encoder.step(): {(err or 'no error')[:170]}"


gt.main()
