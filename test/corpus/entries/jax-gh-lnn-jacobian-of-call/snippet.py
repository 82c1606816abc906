import jax
import jax.numpy as jnp
import numpy as np

# euler-lagrange equation with non-conservative forces
def equation_of_motion(lagrangian, state, t=None):
  q, q_t, q_tt = jnp.split(state, 3) 
  tau = ((jax.hessian(lagrangian, 1)(q, q_t, q_tt)) @ q_tt
          + (jax.jacobian(jax.jacobian(lagrangian, 1)(q, q_t, q_tt), 0)(q, q_t, q_tt)) @ q_t
              - jax.grad(lagrangian, 0)(q, q_t, q_tt))
  return np.array([tau])
