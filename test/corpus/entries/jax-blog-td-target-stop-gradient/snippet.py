import jax
import jax.numpy as jnp
from jax import lax

q_online = jnp.array([1.0, 2.0])
q_target = jnp.array([3.0, 4.0])
reward, gamma, action = 1.0, 0.9, 0

# WITH stop_gradient — gradient is blocked (correct)
target = reward + gamma * lax.stop_gradient(jnp.max(q_target))
loss = (target - q_online[action]) ** 2
# grad wrt q_target is 0 — correct, no gradient through target
print(loss)  # scalar TD loss
