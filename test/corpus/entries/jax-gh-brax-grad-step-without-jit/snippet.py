import jax
import brax.envs.humanoid
r = brax.envs.humanoid.Humanoid()
rng = jax.random.PRNGKey(0)
def generate_step(s1, env_step):
 return lambda a: env_step(s1, a).reward
s1 = r.reset(rng)
a1 = jax.random.normal(rng, (r.action_size,))
step = generate_step(s1, r.step)
grad_step = jax.grad(step)
print(grad_step(a1))
