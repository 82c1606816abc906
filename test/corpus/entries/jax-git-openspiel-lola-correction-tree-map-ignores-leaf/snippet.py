import typing
from copy import deepcopy
from functools import partial

import haiku
import haiku as hk
import jax
import jax.numpy as jnp
import optax
import rlax
from jax import grad, vmap


def get_lola_update_fn(
        agent_id: int,
        policy_network: hk.Transformed,
        optimizer: optax.TransformUpdateFn,
        pi_lr: float,
        gamma: float = 0.99
) -> UpdateFn:
    def flat_params(params):
        flat_param_dict = dict([(agent_id, jax.flatten_util.ravel_pytree(p)) for agent_id, p in params.items()])
        params = dict((k, flat_param_dict[k][0]) for k in flat_param_dict)
        unravel_fns = dict((k, flat_param_dict[k][1]) for k in flat_param_dict)
        return params, unravel_fns

    def lola_correction(train_state: TrainState, batch: TransitionBatch) -> haiku.Params:
        a_t, o_t, r_t, values = batch.action, batch.info_state, batch.reward, batch.values
        params, unravel_fns = flat_params(train_state.policy_params)

        compute_returns = partial(rlax.lambda_returns, discount_t=batch.discount, lambda_=1.0)
        G_t = vmap(vmap(compute_returns))(r_t=r_t, v_t=values)
        b_t = G_t.mean(axis=1, keepdims=True)
        G_t = G_t - b_t

        log_pi = lambda params, i, a_t, o_t: policy_network.apply(unravel_fns[i](params), o_t).log_prob(a_t)
        grad_log_pi = vmap(vmap(grad(log_pi, argnums=0), in_axes=(None, None, 0, 0)), in_axes=(None, None, 0, 0))
        id, opp_id = agent_id, 1 - agent_id

        grad_log_pi_1 = grad_log_pi(params[id], id, a_t[id], o_t[id])
        grad_log_pi_2 = grad_log_pi(params[opp_id], opp_id, a_t[opp_id], o_t[opp_id])
        cross_term = vmap(jnp.outer)(grad_log_pi_1.sum(1), grad_log_pi_2.sum(1))
        cross_term = vmap(jnp.multiply)(G_t[opp_id, :, 0], cross_term).mean(0)
        G_theta_2 = vmap(vmap(jnp.multiply))(grad_log_pi_2, G_t[id]).sum(axis=1).mean(0)
        G_theta_1 = vmap(vmap(jnp.multiply))(grad_log_pi_1, G_t[id]).sum(axis=1).mean(0)
        gradients = -(G_theta_1 + pi_lr * G_theta_2 @ cross_term)
        return unravel_fns[id](gradients)

    def policy_loss(params, id, batch):
        """computes the policy gradient"""
        a_t, o_t, r_t, values = batch.action[id], batch.info_state[id], batch.reward[id], batch.values[id]
        logits_t = vmap(vmap(lambda s: policy_network.apply(params, s).logits))(o_t)
        discount = jnp.full(r_t.shape, gamma)
        G = rlax.lambda_returns(r_t=r_t, v_t=values, discount_t=discount, lambda_=1.0)
        adv_t = G - values
        loss = vmap(rlax.policy_gradient_loss)(logits_t=logits_t, a_t=a_t, adv_t=adv_t, w_t=jnp.ones_like(adv_t))
        return loss.mean()

    def update(train_state: TrainState, batch: TransitionBatch) -> typing.Tuple[TrainState, typing.Dict]:
        """Updates the policy parameters in train_state. If lola_weight > 0, the correction term according to"""
        loss, policy_grads = jax.value_and_grad(policy_loss)(train_state.policy_params[agent_id], agent_id, batch)
        correction = lola_correction(train_state, batch)
        policy_grads = jax.tree_util.tree_map(lambda grad, corr: grad + correction, policy_grads, correction)
        updates, opt_state = optimizer(policy_grads, train_state.policy_opt_states[agent_id])
        policy_params = optax.apply_updates(train_state.policy_params[agent_id], updates)
        new_policy_params = deepcopy(train_state.policy_params)
        new_opt_states = deepcopy(train_state.policy_opt_states)
        new_policy_params[agent_id] = policy_params
        new_opt_states[agent_id] = opt_state
        train_state = train_state. \
            _replace(policy_params=new_policy_params). \
            _replace(policy_opt_states=new_opt_states)
        return train_state, dict(loss=loss)

    return update
