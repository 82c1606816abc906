import jax
import flax
from jax import numpy as jp
from jax.interpreters import batching

@flax.struct.dataclass
class Data:
  state: jax.Array
  buffer: jax.Array
  shape = property(lambda self: self.state.shape)

step = lambda d: d.replace(state=d.state + 1)

def f(s):
  return jax.tree.map_with_path(
      lambda path, x, y: jp.where(s.state > 5, x, y)
      if path[0].name != 'buffer' else y,
      step(s), s)
jax.jit(jax.vmap(f))(state_batched)
