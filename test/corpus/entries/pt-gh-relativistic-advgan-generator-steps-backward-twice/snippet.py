def train_batch(self, x, labels):
    # optimize D
    for i in range(self.n_steps_D):
        perturbation = self.G(x)

        adv_images = torch.clamp(perturbation, -self.l_inf_bound, self.l_inf_bound) + x
        adv_images = torch.clamp(adv_images, 0, 1)

        self.D.zero_grad()
        
        logits_real, pred_real = self.D(x)
        logits_fake, pred_fake = self.D(adv_images.detach())

        real = torch.ones_like(pred_real, device=self.device)
        fake = torch.zeros_like(pred_fake, device=self.device)



        if self.is_relativistic:
            # loss_D = F.binary_cross_entropy_with_logits(torch.squeeze(logits_real - logits_fake), real)
            loss_D_real = torch.mean((logits_real - torch.mean(logits_fake) - real)**2)
            loss_D_fake = torch.mean((logits_fake - torch.mean(logits_real) + real)**2)

            loss_D = (loss_D_fake + loss_D_real) / 2
        else:
            loss_D_real = F.mse_loss(pred_real, torch.ones_like(pred_real, device=self.device))
            loss_D_fake = F.mse_loss(pred_fake, torch.zeros_like(pred_fake, device=self.device))
            loss_D = loss_D_fake + loss_D_real

        loss_D.backward()
        self.optimizer_D.step()

    # optimize G
    for i in range(self.n_steps_G):
        self.G.zero_grad()

        # the Hinge Loss part of L
        perturbation_norm = torch.mean(torch.norm(perturbation.view(perturbation.shape[0], -1), 2, dim=1))
        loss_hinge = torch.max(torch.zeros(1, device=self.device), perturbation_norm - self.c)

        # the Adv Loss part of L
        logits_model = self.model(adv_images)
        probs_model = F.softmax(logits_model, dim=1)
        onehot_labels = torch.eye(self.n_labels, device=self.device)[labels]

        # C&W loss
        real_class_prob = torch.sum(onehot_labels * probs_model, dim=1)
        target_class_prob, _ = torch.max((1 - onehot_labels) * probs_model - onehot_labels * 10000, dim=1)
        loss_adv = torch.max(real_class_prob - target_class_prob, self.kappa * torch.ones_like(target_class_prob))
        loss_adv = torch.sum(loss_adv)

        # the GAN Loss part of L
        logits_real, pred_real = self.D(x)
        logits_fake, pred_fake = self.D(adv_images)

        if self.is_relativistic:
            # loss_G_gan = F.binary_cross_entropy_with_logits(torch.squeeze(logits_fake - logits_real), real)
            loss_G_real = torch.mean((logits_real - torch.mean(logits_fake) + real)**2)
            loss_G_fake = torch.mean((logits_fake - torch.mean(logits_real) - real)**2)
            
            loss_G_gan = (loss_G_real + loss_G_fake) / 2
        else:
            loss_G_gan = F.mse_loss(pred_fake, torch.ones_like(pred_fake, device=self.device))


        loss_G = self.gamma * loss_adv + self.alpha * loss_G_gan + self.beta * loss_hinge
        loss_G.backward()
        self.optimizer_G.step()

    return loss_D.item(), loss_G.item(), loss_G_gan.item(), loss_hinge.item(), loss_adv.item()
