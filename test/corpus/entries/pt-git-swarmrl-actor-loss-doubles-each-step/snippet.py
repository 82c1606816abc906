"""Module for the parent class of the loss models."""
from typing import List

import numpy as np
import torch
import torch.nn.functional
from torch.distributions import Categorical

from swarmrl.losses.loss import Loss


class PolicyGradientLoss(Loss):
    """Parent class for the reinforcement learning tasks."""

    def __init__(self):
        """Constructor for the reward class."""
        super(Loss, self).__init__()
        self.n_particles = None
        self.n_time_steps = None

    ...

    def compute_true_value_function(
        self, rewards: List, gamma: float = 0.99, standardize: bool = True
    ):
        """Compute the true value function from the rewards."""
        true_value_function = torch.zeros(self.n_time_steps)
        current_value_state = torch.tensor(0)

        for i in range(self.n_time_steps)[::-1]:
            current_value_state = rewards[i] + current_value_state * gamma

            true_value_function[i] = current_value_state

        # Standardize the value function.
        if standardize:
            mean = torch.mean(torch.tensor(true_value_function), dim=0)
            std = torch.std(torch.tensor(true_value_function), dim=0)

            true_value_function = (true_value_function - mean) / std

        return true_value_function

    def compute_actor_loss(
        self,
        log_probs: List,
        predicted_values: List,
        rewards: List,
    ) -> torch.Tensor:
        """Compute the actor loss."""
        value_function = self.compute_true_value_function(rewards)
        advantage = value_function - torch.tensor(predicted_values)
        print(f'{advantage=}')
        print(f'{value_function=}')

        particle_loss = torch.tensor(0, dtype=torch.double)
        for i in range(self.n_time_steps):
            particle_loss += particle_loss + log_probs[i] * advantage[i]

        return -1 * particle_loss
