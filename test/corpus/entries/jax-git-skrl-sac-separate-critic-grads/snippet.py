import functools
import jax
import jax.numpy as jnp

from skrl import config, logger
from skrl.agents.jax import Agent


# https://jax.readthedocs.io/en/latest/faq.html#strategy-1-jit-compiled-helper-function
@functools.partial(jax.jit, static_argnames=("critic_1_act", "critic_2_act"))
def _update_critic(
    critic_1_act,
    critic_1_state_dict,
    critic_2_act,
    critic_2_state_dict,
    target_q1_values: jax.Array,
    target_q2_values: jax.Array,
    entropy_coefficient,
    next_log_prob,
    inputs: dict[str, jax.Array],
    sampled_rewards: jax.Array,
    sampled_terminated: jax.Array,
    discount_factor: float,
):
    # compute target values
    target_q_values = jnp.minimum(target_q1_values, target_q2_values) - entropy_coefficient * next_log_prob
    target_values = sampled_rewards + discount_factor * jnp.logical_not(sampled_terminated) * target_q_values

    # compute critic loss
    def _critic_loss(params, critic_act, role):
        critic_values, _ = critic_act(inputs, role=role, params=params)
        critic_loss = ((critic_values - target_values) ** 2).mean()
        return critic_loss, critic_values

    (critic_1_loss, critic_1_values), critic_1_grad = jax.value_and_grad(_critic_loss, has_aux=True)(
        critic_1_state_dict.params, critic_1_act, "critic_1"
    )
    (critic_2_loss, critic_2_values), critic_2_grad = jax.value_and_grad(_critic_loss, has_aux=True)(
        critic_2_state_dict.params, critic_2_act, "critic_2"
    )

    return (
        critic_1_grad,
        critic_2_grad,
        (critic_1_loss + critic_2_loss) / 2,
        critic_1_values,
        critic_2_values,
        target_values,
    )


class SAC(Agent):
    ...

    def update(self, *, timestep: int, timesteps: int) -> None:
        """Algorithm's main update step.

        :param timestep: Current timestep.
        :param timesteps: Number of timesteps.
        """

        # gradient steps
        for gradient_step in range(self.cfg.gradient_steps):

            # sample a batch from memory
            (
                sampled_observations,
                sampled_states,
                sampled_actions,
                sampled_rewards,
                sampled_next_observations,
                sampled_next_states,
                sampled_terminated,
            ) = self.memory.sample(names=self._tensors_names, batch_size=self.cfg.batch_size)[0]

            inputs = {
                "observations": self._observation_preprocessor(sampled_observations, train=True),
                "states": self._state_preprocessor(sampled_states, train=True),
            }
            next_inputs = {
                "observations": self._observation_preprocessor(sampled_next_observations, train=True),
                "states": self._state_preprocessor(sampled_next_states, train=True),
            }

            next_actions, outputs = self.policy.act(next_inputs, role="policy")
            next_log_prob = outputs["log_prob"]

            # compute target values
            target_q1_values, _ = self.target_critic_1.act(
                {**next_inputs, "taken_actions": next_actions}, role="target_critic_1"
            )
            target_q2_values, _ = self.target_critic_2.act(
                {**next_inputs, "taken_actions": next_actions}, role="target_critic_2"
            )

            # compute critic loss
            critic_1_grad, critic_2_grad, critic_loss, critic_1_values, critic_2_values, target_values = _update_critic(
                self.critic_1.act,
                self.critic_1.state_dict,
                self.critic_2.act,
                self.critic_2.state_dict,
                target_q1_values,
                target_q2_values,
                self._entropy_coefficient,
                next_log_prob,
                {**inputs, "taken_actions": sampled_actions},
                sampled_rewards,
                sampled_terminated,
                self.cfg.discount_factor,
            )

            # optimization step (critic)
            if config.jax.is_distributed:
                critic_1_grad = self.critic_1.reduce_parameters(critic_1_grad)
                critic_2_grad = self.critic_2.reduce_parameters(critic_2_grad)
            self.critic_1_optimizer = self.critic_1_optimizer.step(
                grad=critic_1_grad, model=self.critic_1, lr=self.critic_learning_rate if self.critic_scheduler else None
            )
            self.critic_2_optimizer = self.critic_2_optimizer.step(
                grad=critic_2_grad, model=self.critic_2, lr=self.critic_learning_rate if self.critic_scheduler else None
            )
