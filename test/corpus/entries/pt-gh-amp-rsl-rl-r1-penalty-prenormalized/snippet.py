class Discriminator(nn.Module):
    def compute_loss(
        self,
        policy_d,
        expert_d,
        sample_amp_expert,
        sample_amp_policy,
        lambda_: float = 10,
    ):

        # Compute gradient penalty to stabilize discriminator training.
        sample_amp_expert = tuple(self.amp_normalizer(s) for s in sample_amp_expert)
        sample_amp_policy = tuple(self.amp_normalizer(s) for s in sample_amp_policy)
        grad_pen_loss = self.compute_grad_pen(
            expert_states=sample_amp_expert,
            policy_states=sample_amp_policy,
            lambda_=lambda_,
        )
        if self.loss_type == "BCEWithLogits":
            expert_loss = self.loss_fun(expert_d, torch.ones_like(expert_d))
            policy_loss = self.loss_fun(policy_d, torch.zeros_like(policy_d))
            # AMP loss is the average of expert and policy losses.
            amp_loss = 0.5 * (expert_loss + policy_loss)
        return amp_loss, grad_pen_loss

    def compute_grad_pen(
        self,
        expert_states: tuple[torch.Tensor, torch.Tensor],
        policy_states: tuple[torch.Tensor, torch.Tensor],
        lambda_: float = 10,
    ) -> torch.Tensor:
        expert = torch.cat(expert_states, -1)

        if self.loss_type == "BCEWithLogits":
            # R1 regularizer on REAL: 0.5 * lambda * ||∇_x D(x_real)||^2
            data = expert.detach().requires_grad_(True)
            # Compute D(x_real) with minibatch-std DETACHED,
            # so gradients are w.r.t. the sample itself, not the batch statistics.
            h = self.trunk(data)
            if self.use_minibatch_std:
                with torch.no_grad():
                    s = self._minibatch_std_scalar(h)
                h = torch.cat([h, s], dim=-1)
            scores = self.linear(h)

            grad = autograd.grad(
                outputs=scores.sum(),
                inputs=data,
                create_graph=True,
                retain_graph=True,
                only_inputs=True,
            )[0]
            return 0.5 * lambda_ * (grad.pow(2).sum(dim=1)).mean()
