import jax
jax.grad(lambda x: (1, 2, 3), has_aux=True)(1.)
