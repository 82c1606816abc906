from functools import partial

import jax
import jax.numpy as jnp

from .jax_utils import next_rng, value_and_multi_grad, mse_loss


class ConservativeSAC(object):
    ...

    @partial(jax.jit, static_argnames='self')
    def _train_step(self, train_states, target_qf_params, rng, batch):

        def loss_fn(train_params, rng):
            observations = batch['observations']
            actions = batch['actions']
            rewards = batch['rewards']
            next_observations = batch['next_observations']
            dones = batch['dones']

            loss_collection = {}

            rng, split_rng = jax.random.split(rng)
            new_actions, log_pi = self.policy.apply(train_params['policy'], split_rng, observations)

            if self.config.use_automatic_entropy_tuning:
                alpha_loss = -self.log_alpha.apply(train_params['log_alpha']) * (log_pi + self.config.target_entropy).mean()
                loss_collection['log_alpha'] = alpha_loss
                alpha = jnp.exp(self.log_alpha.apply(train_params['log_alpha'])) * self.config.alpha_multiplier
            else:
                alpha_loss = 0.0
                alpha = self.config.alpha_multiplier

            """ Policy loss """
            q_new_actions = jnp.minimum(
                self.qf.apply(train_params['qf1'], observations, new_actions),
                self.qf.apply(train_params['qf2'], observations, new_actions),
            )
            policy_loss = (alpha*log_pi - q_new_actions).mean()

            loss_collection['policy'] = policy_loss

            """ Q function loss """
            q1_pred = self.qf.apply(train_params['qf1'], observations, actions)
            q2_pred = self.qf.apply(train_params['qf2'], observations, actions)

            rng, split_rng = jax.random.split(rng)
            if self.config.cql_max_target_backup:
                new_next_actions, next_log_pi = self.policy.apply(
                    train_params['policy'], split_rng, next_observations, repeat=self.config.cql_n_actions
                )
                target_q_values = jnp.minimum(
                    self.qf.apply(target_qf_params['qf1'], next_observations, new_next_actions),
                    self.qf.apply(target_qf_params['qf2'], next_observations, new_next_actions),
                )
                max_target_indices = jnp.expand_dims(jnp.argmax(target_q_values, axis=-1), axis=-1)
                target_q_values = jnp.take_along_axis(target_q_values, max_target_indices, axis=-1)
                next_log_pi = jnp.take_along_axis(next_log_pi, max_target_indices, axis=-1)
            else:
                new_next_actions, next_log_pi = self.policy.apply(
                    train_params['policy'], split_rng, next_observations
                )
                target_q_values = jnp.minimum(
                    self.qf.apply(target_qf_params['qf1'], next_observations, new_next_actions),
                    self.qf.apply(target_qf_params['qf2'], next_observations, new_next_actions),
                )

            if self.config.backup_entropy:
                target_q_values = target_q_values - alpha * next_log_pi

            q_target = jax.lax.stop_gradient(
                rewards + (1. - dones) * self.config.discount * target_q_values
            )
            qf1_loss = mse_loss(q1_pred, q_target)
            qf2_loss = mse_loss(q2_pred, q_target)
            ...
