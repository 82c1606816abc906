import jax
import brax.envs.humanoid

r = brax.envs.humanoid.Humanoid()
rng = jax.random.PRNGKey(0)

def generate_step(s1, env_step):
  # add a jax.jit here:
  return lambda a: jax.jit(env_step)(s1, a).reward
