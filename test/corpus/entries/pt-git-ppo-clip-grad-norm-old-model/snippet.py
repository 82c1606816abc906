import torch
import torch.optim as optim
import torch.nn.functional as F
import torch.nn as nn

class PPOBase:
  def __init__(self, config):
    ...
    self.model = config.model(config).to(self.device)
    self.model_old = config.model(config).to(self.device)

    self.model_old.load_state_dict(self.model.state_dict())

    self.optimiser = optim.Adam(self.model.parameters(), lr=config.lr)

class PPOPixel(PPOBase):
  def learn(self, num_learn, last_value, next_done):
    ...
    for i in range(num_learn):

      # find ratios
      actions, log_probs, values, entropy = self.model.act(prev_states, prev_actions)
      ...
      loss = pg_loss + value_loss - self.entropy_beta*entropy
      loss = loss.mean()

      # calculate gradient
      self.optimiser.zero_grad()
      loss.backward()
      nn.utils.clip_grad_norm_(self.model_old.parameters(), 0.5)
      self.optimiser.step()

      if torch.abs(approx_kl) > 0.03:
        break
    
    self.model_old.load_state_dict(self.model.state_dict())
