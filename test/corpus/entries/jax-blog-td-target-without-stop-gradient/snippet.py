import jax
import jax.numpy as jnp
from jax import lax

q_online = jnp.array([1.0, 2.0])
q_target = jnp.array([3.0, 4.0])
reward, gamma, action = 1.0, 0.9, 0

# WITHOUT stop_gradient — gradient flows into q_target (wrong)
target_bad = reward + gamma * jnp.max(q_target)
loss_bad = (target_bad - q_online[action]) ** 2
# grad wrt q_target is non-zero — wrong, it's a fixed reference
