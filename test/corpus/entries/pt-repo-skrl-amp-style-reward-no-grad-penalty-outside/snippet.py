import torch
import torch.nn as nn


class AMP:
    def update(self, *, timestep: int, timesteps: int) -> None:
        # compute combined rewards
        rewards = self.memory.get_tensor_by_name("rewards")
        amp_observations = self.memory.get_tensor_by_name("amp_observations")

        with torch.no_grad(), torch.autocast(device_type=self._device_type, enabled=self.cfg.mixed_precision):
            amp_logits, _ = self.discriminator.act(
                {"observations": self._amp_observation_preprocessor(amp_observations)}, role="discriminator"
            )
            style_reward = -torch.log(
                torch.maximum(1 - 1 / (1 + torch.exp(-amp_logits)), torch.tensor(0.0001, device=self.device))
            ).view(rewards.shape)

        combined_rewards = self.cfg.task_reward_scale * rewards + self.cfg.style_reward_scale * style_reward

        # learning epochs
        for epoch in range(self.cfg.learning_epochs):
            for batch_index, (sampled_amp_observations,) in enumerate(self.sampled_batches):
                with torch.autocast(device_type=self._device_type, enabled=self.cfg.mixed_precision):
                    sampled_amp_motion_observations = self._amp_observation_preprocessor(
                        self.sampled_motion_batches[batch_index][0], train=True
                    )

                    sampled_amp_motion_observations.requires_grad_(True)
                    amp_logits, _ = self.discriminator.act(
                        {"observations": sampled_amp_observations}, role="discriminator"
                    )
                    amp_motion_logits, _ = self.discriminator.act(
                        {"observations": sampled_amp_motion_observations}, role="discriminator"
                    )

                    # discriminator prediction loss
                    discriminator_loss = 0.5 * (
                        nn.BCEWithLogitsLoss()(amp_logits, torch.zeros_like(amp_logits))
                        + torch.nn.BCEWithLogitsLoss()(amp_motion_logits, torch.ones_like(amp_motion_logits))
                    )

                    # discriminator gradient penalty
                    if self.cfg.discriminator_gradient_penalty_scale:
                        amp_motion_gradient = torch.autograd.grad(
                            amp_motion_logits,
                            sampled_amp_motion_observations,
                            grad_outputs=torch.ones_like(amp_motion_logits),
                            create_graph=True,
                            retain_graph=True,
                            only_inputs=True,
                        )
                        gradient_penalty = torch.sum(torch.square(amp_motion_gradient[0]), dim=-1).mean()
                        discriminator_loss += self.cfg.discriminator_gradient_penalty_scale * gradient_penalty

                # optimization step
                self.optimizer.zero_grad()
                self.scaler.scale(discriminator_loss).backward()
                self.scaler.step(self.optimizer)
