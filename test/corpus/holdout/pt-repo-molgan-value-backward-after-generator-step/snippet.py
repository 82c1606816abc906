# Z-to-target
edges_logits, nodes_logits = self.G(z)
# Postprocess with Gumbel softmax
(edges_hat, nodes_hat) = self.postprocess((edges_logits, nodes_logits), self.post_method)
logits_fake, features_fake = self.D(edges_hat, None, nodes_hat)

# Value losses
value_logit_real, _ = self.V(a_tensor, None, x_tensor, torch.sigmoid)
value_logit_fake, _ = self.V(edges_hat, None, nodes_hat, torch.sigmoid)

# Real Reward
reward_r = torch.from_numpy(self.reward(mols)).to(self.device)
# Fake Reward
reward_f = self.get_reward(nodes_hat, edges_hat, self.post_method)

# Losses Update
loss_G = -logits_fake
# Original TF loss_V. Here we use absolute values instead of the squared one.
# loss_V = (value_logit_real - reward_r) ** 2 + (value_logit_fake - reward_f) ** 2
loss_V = torch.abs(value_logit_real - reward_r) + torch.abs(value_logit_fake - reward_f)
loss_RL = -value_logit_fake

loss_G = torch.mean(loss_G)
loss_V = torch.mean(loss_V)
loss_RL = torch.mean(loss_RL)

alpha = torch.abs(loss_G.detach() / loss_RL.detach()).detach()
train_step_G = cur_la * loss_G + (1 - cur_la) * alpha * loss_RL

train_step_V = loss_V

if train_val_test == 'train':
    self.reset_grad()

    # Optimise generator.
    if cur_step % self.n_critic == 0:
        train_step_G.backward(retain_graph=True)
        self.g_optimizer.step()

    # Optimise value network.
    if cur_step % self.n_critic == 0:
        train_step_V.backward()
        self.v_optimizer.step()
