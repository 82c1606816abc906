import torch
import torch.nn.functional as F
import pytorch_lightning as pl

LAMBDA = 100


class Image2Reverb(pl.LightningModule):
    def training_step(self, batch, batch_idx, optimizer_idx):
        opts = None
        if self._opt:
            opts = self.optimizers()

        spec, label, _ = batch
        spec.requires_grad = True # For the backward pass, seems necessary for now

        # Forward passes through models
        f = self.enc.forward(label)[0]
        z = torch.cat((f, torch.randn((f.shape[0], (self._latent_dimension - f.shape[1]) if f.shape[1] < self._latent_dimension else f.shape[1], f.shape[2], f.shape[3]), device=self.device)), 1)
        fake_spec = self.g(z)
        d_fake = self.d(fake_spec.detach(), f)
        d_real = self.d(spec, f)

        # Train Generator or Encoder
        if optimizer_idx == 0 or optimizer_idx == 1:
            d_fake2 = self.d(fake_spec.detach(), f)
            G_loss1 = F.mse_loss(d_fake2, torch.ones(d_fake2.shape, device=self.device))
            G_loss2 = F.l1_loss(fake_spec, spec)
            G_loss = G_loss1 + (LAMBDA * G_loss2)

            if self._opt:
                self.manual_backward(G_loss, self.opts[optimizer_idx])
                opts[optimizer_idx].step()
                opts[optimizer_idx].zero_grad()

            tqdm_dict = {"G": G_loss}
            self.log_dict(tqdm_dict)

            return G_loss
        else: # Train Discriminator
            l_fakeD = F.mse_loss(d_fake, torch.zeros(d_fake.shape, device=self.device))
            l_realD = F.mse_loss(d_real, torch.ones(d_real.shape, device=self.device))
            D_loss = (l_realD + l_fakeD)
            return D_loss

    def configure_optimizers(self):
        g_optim = torch.optim.Adam(self.g.parameters(), lr=G_LR, betas=ADAM_BETA, eps=ADAM_EPS)
        d_optim = torch.optim.Adam(self.d.parameters(), lr=D_LR, betas=ADAM_BETA, eps=ADAM_EPS)
        enc_optim = torch.optim.Adam(self.enc.parameters(), lr=ENC_LR, betas=ADAM_BETA, eps=ADAM_EPS)
        return [enc_optim, g_optim, d_optim], []
