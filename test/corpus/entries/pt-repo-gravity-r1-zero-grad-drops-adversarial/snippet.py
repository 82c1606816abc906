def _train_discriminator_r1(self, real, idx):
    self._set_grad_flag(self.netD, True)
    self._set_grad_flag(self.netG, False)
    
    self.netD.zero_grad()

    real.requires_grad = True

    noise = torch.randn((self.batch_size, self.z_dim)).to(self.device)
    fake = self.netG(noise)

    disc_real = self.netD(real)
    disc_fake = self.netD(fake)

    disc_real = F.softplus(-disc_real).mean()
    disc_fake = F.softplus(disc_fake).mean()

    self.loss_disc = disc_real + disc_fake
    self.loss_disc.backward(retain_graph = True)

    # R1.
    if idx % 16 == 0:
        self.netD.zero_grad()

        grad_real = torch.autograd.grad(outputs = disc_real.sum(), inputs = real, create_graph = True)[0]
        grad_penalty_real = (grad_real.view(grad_real.size(0), -1).norm(2, dim=1) ** 2).mean()
        grad_penalty_real = 10 / 2 * grad_penalty_real

        grad_penalty_real.backward()
    
    self.opt_dis.step()
