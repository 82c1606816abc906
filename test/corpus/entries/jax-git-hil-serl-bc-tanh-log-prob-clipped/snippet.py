from functools import partial
from typing import Any, Iterable, Optional

import flax
import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax.core import FrozenDict

from serl_launcher.common.common import JaxRLTrainState, nonpytree_field
from serl_launcher.common.typing import Batch, PRNGKey
from serl_launcher.utils.train_utils import _unpack


class BCAgent(flax.struct.PyTreeNode):
    state: JaxRLTrainState
    config: dict = nonpytree_field()
    ...

    @partial(jax.jit, static_argnames="pmap_axis")
    def update(self, batch: Batch, pmap_axis: str = None):
        if self.config["image_keys"][0] not in batch["next_observations"]:
            batch = _unpack(batch)

        rng, aug_rng = jax.random.split(self.state.rng)
        if "augmentation_function" in self.config.keys() and self.config["augmentation_function"] is not None:
            batch = self.config["augmentation_function"](batch, aug_rng)

        def loss_fn(params, rng):
            rng, key = jax.random.split(rng)
            dist = self.state.apply_fn(
                {"params": params},
                batch["observations"],
                temperature=1.0,
                train=True,
                rngs={"dropout": key},
                name="actor",
            )
            pi_actions = dist.mode()
            if self.config["tanh_squash_distribution"]:
                batch_actions = jnp.clip(batch["actions"], -1+1e-6, 1-1e-6)
            else:
                batch_actions = batch["actions"]
            log_probs = dist.log_prob(batch_actions)
            mse = ((pi_actions - batch_actions) ** 2).sum(-1)
            actor_loss = -(log_probs).mean()

            return actor_loss, {
                "actor_loss": actor_loss,
                "mse": mse.mean(),
            }

        # compute gradients and update params
        new_state, info = self.state.apply_loss_fns(
            loss_fn, pmap_axis=pmap_axis, has_aux=True
        )

        return self.replace(state=new_state), info
