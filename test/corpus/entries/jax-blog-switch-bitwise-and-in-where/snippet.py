from jax.lax import switch
import jax.numpy as jnp
from jax import grad

# ✅ 正确:使用 (cond1) & (cond2),括号不可省略
func_0 = lambda x: jnp.where((0. < x) & (x < 1.), x, 0.)
func_1 = lambda x: jnp.where((0. < x) & (x < 1.), x, 1.)

func_list = [func_0, func_1]
func = lambda index, x: switch(index, func_list, x)

# 现在可安全求导
df = grad(func, argnums=1)(1, 0.5)  # 输出: 1.0
print(df)  # 1.0(因 x=0.5 满足条件,导数为 1)
