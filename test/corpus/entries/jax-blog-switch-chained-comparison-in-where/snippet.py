from jax.lax import switch
import jax.numpy as jnp
from jax import grad

# ❌ 错误:链式比较触发 TracerBoolConversionError
func_0 = lambda x: jnp.where(0. < x < 1., x, 0.)
func_1 = lambda x: jnp.where((0. < x) & (x < 1.), x, 1.)

func_list = [func_0, func_1]
func = lambda index, x: switch(index, func_list, x)

df = grad(func, argnums=1)(1, 2.0)
print(df)
