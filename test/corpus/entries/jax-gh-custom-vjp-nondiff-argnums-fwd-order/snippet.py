import functools

import jax
import jax.numpy as jnp
import numpy as np

@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def custom_psum(x, axis_name):
  return x

def fwd(x, axis_name):
  print('fwd_arg0', x)
  print('fwd_arg1', axis_name)
  return custom_psum(x, axis_name), None

def bwd(axis_name, res, g):
  print('bwd_arg0', axis_name)
  print('bwd_arg1', res)
  print('bwd_arg2', g)
  del axis_name, res
  return (g,)

custom_psum.defvjp(fwd, bwd)

def loss_fn(x):
  return jnp.sum(custom_psum(x, 'i'))

jax.pmap(jax.grad(loss_fn), 'i')(np.random.random((8, 2, 3)))
