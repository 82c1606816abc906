from jax import grad
import jax.numpy as jnp
from jax_md import energy,space,quantity

def total_force(R,sigma):
    displacement_fn, shift=space.free()
    energy_fn = energy.lennard_jones_pair(displacement_fn,sigma=sigma)
    force_fn = quantity.force(energy_fn)
    F=force_fn(R)
    return jnp.sum(F**2.0)

def main():
    R=jnp.array([[1.0,2.0,3.0],[2.0,3.0,5.0]])
    print(total_force(R,jnp.float32(2.0)))
    total_force_grad=grad(total_force, argnums=1)
    print(total_force_grad(R,2.0))

main()
