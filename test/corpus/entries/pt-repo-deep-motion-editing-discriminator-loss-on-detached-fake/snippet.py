from torch import optim
from torch import nn
import torch
from models.utils import GAN_loss, ImagePool
from models.base_model import BaseModel


class GAN_model(BaseModel):
    ...

    def discriminator_requires_grad_(self, requires_grad):
        for model in self.models:
            for para in model.discriminator.parameters():
                para.requires_grad = requires_grad

    def backward_D_basic(self, netD, real, fake):
        # Real
        pred_real = netD(real)
        loss_D_real = self.criterion_gan(pred_real, True)
        # Fake
        pred_fake = netD(fake.detach())
        loss_D_fake = self.criterion_gan(pred_fake, False)
        # Combined loss and calculate gradients
        loss_D = (loss_D_real + loss_D_fake) * 0.5
        loss_D.backward()
        return loss_D

    def backward_D(self):
        self.loss_Ds = []
        self.loss_D = 0
        for i in range(self.n_topology):
            fake = self.fake_pools[i].query(self.fake_pos[2 - i])
            self.loss_Ds.append(self.backward_D_basic(self.models[i].discriminator, self.pos_ref[i].detach(), fake))
            self.loss_D += self.loss_Ds[-1]

    def backward_G(self):
        self.loss_G = 0
        p = 0
        for src in range(self.n_topology):
            for dst in range(self.n_topology):
                if src != dst:
                    loss_G = self.criterion_gan(self.models[dst].discriminator(self.fake_pos[p]), True)
                    self.loss_G += loss_G
                p += 1

        self.loss_G_total = self.rec_loss * self.args.lambda_rec + self.loss_G * 1
        self.loss_G_total.backward()

    def optimize_parameters(self):
        self.forward()

        # update Gs
        self.discriminator_requires_grad_(False)
        self.optimizerG.zero_grad()
        self.backward_G()
        self.optimizerG.step()

        # update Ds
        self.discriminator_requires_grad_(True)
        self.optimizerD.zero_grad()
        self.backward_D()
        self.optimizerD.step()
