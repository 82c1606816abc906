from typing import Optional

import haiku as hk
import jax
import jax.nn as nn
import jax.numpy as jnp


class QuantizedCodebook(hk.Module):
    def __init__(
            self,
            embed_size_K: int,
            embed_dim_D: int,
            commitment_loss: float,
            name: Optional[str] = None):
        super().__init__(name)
        self.K = embed_size_K
        self.D = embed_dim_D
        self.beta = commitment_loss

        initializer = hk.initializers.VarianceScaling(distribution="uniform")
        self.codebook = hk.get_parameter(
            "codebook", (self.K, self.D), init=initializer)

    def __call__(self, inputs) -> dict[str, jnp.ndarray]:
        '''Connects the module to some inputs.'''
        # input shape A1 x ... x An x D
        # shape N x D, N = A1 * ... * An
        flattened = jnp.reshape(inputs, (-1, self.D))

        # shape N x 1
        flattened_sqr = jnp.sum(flattened ** 2, axis=-1, keepdims=True)

        # shape 1 x K
        codeboook_sqr = jnp.sum(self.codebook ** 2, axis=-1, keepdims=True).T

        # shape N x K
        # distances = (a-b)^2 = a^2 - 2*a*b + b^2
        distances = flattened_sqr - \
            2 * (flattened @ self.codebook.T) + codeboook_sqr

        # shape A1 x ... x An
        encoding_indices = jnp.reshape(jnp.argmin(
            distances, axis=-1), inputs.shape[:-1])

        # shape A1 x ... x An x D
        quantize = self.codebook[encoding_indices]
        # straight-through estimator
        quantize = inputs + jax.lax.stop_gradient(quantize - inputs)

        # loss = ||sg[z_e(x)] - e|| + beta||z_e(x) - sg[e]||
        encoding_loss = jnp.mean((jax.lax.stop_gradient(quantize) - inputs)**2)
        commit_loss = jnp.mean((quantize - jax.lax.stop_gradient(inputs))**2)
        loss = encoding_loss + self.beta * commit_loss

        return {
            "codebook_loss": loss,
            "quantize": quantize,
            "encoding_indices": encoding_indices,
        }
