def train(self):
    self.net_mode(train=True)

    ones = torch.ones(self.batch_size, dtype=torch.long, device=self.device)
    zeros = torch.zeros(self.batch_size, dtype=torch.long, device=self.device)

    out = False
    while not out:
        for x_true1, x_true2 in self.data_loader:
            self.global_iter += 1
            self.pbar.update(1)

            x_true1 = x_true1.to(self.device)
            x_recon, mu, logvar, z = self.VAE(x_true1)
            vae_recon_loss = recon_loss(x_true1, x_recon)
            vae_kld = kl_divergence(mu, logvar)

            D_z = self.D(z)
            vae_tc_loss = (D_z[:, :1] - D_z[:, 1:]).mean()

            vae_loss = vae_recon_loss + vae_kld + self.gamma*vae_tc_loss

            self.optim_VAE.zero_grad()
            vae_loss.backward(retain_graph=True)
            self.optim_VAE.step()

            x_true2 = x_true2.to(self.device)
            z_prime = self.VAE(x_true2, no_dec=True)
            z_pperm = permute_dims(z_prime).detach()
            D_z_pperm = self.D(z_pperm)
            D_tc_loss = 0.5*(F.cross_entropy(D_z, zeros) + F.cross_entropy(D_z_pperm, ones))

            self.optim_D.zero_grad()
            D_tc_loss.backward()
            self.optim_D.step()

            ...

            if self.global_iter >= self.max_iter:
                out = True
                break
