import torch
import numpy as np
import torch.nn.functional as F
import collections
import copy
from GRL_Library.common.prioritized_replay_buffer import PrioritizedReplayBuffer

# CUDA configuration
USE_CUDA = torch.cuda.is_available()


class DDPG(object):
    def __init__(self,
                 actor_model,
                 actor_optimizer,
                 critic_model,
                 critic_optimizer,
                 explore_noise,
                 replay_buffer,
                 batch_size,
                 update_interval,
                 target_update_interval,
                 soft_update_tau,
                 n_steps,
                 gamma,
                 model_name):

        self.actor_model = actor_model
        self.actor_optimizer = actor_optimizer
        self.critic_model = critic_model
        self.critic_optimizer = critic_optimizer
        self.replay_buffer = replay_buffer
        self.gamma = gamma

        # Target network
        self.actor_model_target = copy.deepcopy(actor_model)
        self.critic_model_target = copy.deepcopy(critic_model)

        # GPU configuration
        if USE_CUDA:
            GPU_num = torch.cuda.current_device()
            self.device = torch.device("cuda:{}".format(GPU_num))
        else:
            self.device = "cpu"

        self.loss_record = collections.deque(maxlen=100)

    def loss_process(self, loss, weight):
        # Calculation of loss based on weight
        weight = torch.as_tensor(weight, dtype=torch.float32).to(self.device)
        loss = torch.mean(loss * weight.detach())

        return loss

    def learn_onestep(self, info_batch, data_batch):
        # Initialize the loss matrix
        actor_loss = []
        critic_loss = []

        # ------loss of critic network------ #
        for elem in data_batch:
            state, action, reward, next_state, done = elem
            action = torch.as_tensor(action, dtype=torch.float32).to(self.device)

            # target value
            action_target = self.actor_model_target(next_state)
            critic_value_next = self.critic_model_target(next_state, action_target)
            critic_value = self.critic_model(state, action)
            critic_value = critic_value.detach()
            critic_target = reward + self.gamma * critic_value_next * (1 - done)

            critic_loss_sample = F.smooth_l1_loss(critic_value, critic_target)
            critic_loss.append(critic_loss_sample)

        # critic network update
        critic_loss_e = torch.stack(critic_loss)
        critic_loss_total = self.loss_process(critic_loss_e, info_batch['weights'])
        self.critic_optimizer.zero_grad()
        critic_loss_total.backward(retain_graph=True)
        self.critic_optimizer.step()

        # ------loss of actor network------ #
        for elem in data_batch:
            state, action, reward, next_state, done = elem

            mu = self.actor_model(state)
            actor_loss_sample = -1 * self.critic_model(state, mu)
            actor_loss_s = actor_loss_sample.mean()
            actor_loss.append(actor_loss_s)

        # actor network update
        actor_loss_e = torch.stack(actor_loss)
        actor_loss_total = self.loss_process(actor_loss_e, info_batch['weights'])
        self.actor_optimizer.zero_grad()
        actor_loss_total.backward(retain_graph=True)
        self.actor_optimizer.step()

        # ------Record loss------ #
        self.loss_record.append(float((critic_loss_total + actor_loss_total).detach().cpu().numpy()))
