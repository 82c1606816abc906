import jax
import jax.numpy as jnp
import numpy as np

W1 = jnp.array(np.random.randn(128, 16) / np.sqrt(16))
b1 = jnp.array(np.random.randn(128) * 0.01)
W2 = jnp.array(np.random.randn(1, 128) / np.sqrt(128))
x = jnp.array(np.random.randn(16, 10))
y = jnp.array(np.random.randn(1, 10))

# Loss calculation
h1 = W1 @ x
h2 = h1 + b1[:, None]
h3 = jnp.clip(h2, 0, None) # ReLU
h4 = W2 @ h3
loss = jnp.mean((h4 - y)**2)

def manual_grad(params, data_input, data_output):
    W1, b1, W2 = params
    h1 = W1 @ data_input
    h2 = h1 + b1[:, None]
    h3 = h2 * (h2 > 0)
    h4 = W2 @ h3
    loss = jnp.mean(jnp.square(h4 - data_output))

    d_h4 = 2 * (h4 - data_output) / data_output.shape[1]
    d_h3 = W2.T @ d_h4
    d_h2 = d_h3 * (h2 > 0)
    d_h1 = d_h2

    d_W2 = d_h4 @ h3.T
    d_b1 = jnp.mean(d_h2, axis=1)
    d_W1 = d_h1 @ data_input.T

    return [d_W1, d_b1, d_W2], loss
manual_grad_output = manual_grad([W1, b1, W2], x, y)

# JAX automatic gradient.
def loss(params, data_input, data_output):
    W1, b1, W2 = params
    h1 = W1 @ data_input
    h2 = h1 + b1[:, None]
    h3 = h2 * (h2 > 0)
    h4 = W2 @ h3
    return jnp.mean(jnp.square(h4 - data_output))
jax_grad = jax.grad(loss)
jax_grad_output = jax_grad([W1, b1, W2], x, y)

print('Grads match?', jnp.allclose(jax_grad_output[0], manual_grad_output[0][0]))
