import jax
import jax.numpy as jnp
@jax.custom_jvp
def foo(x: jax.Array):
    return jnp.ones_like(x)

@foo.defjvp
def foo_jvp(primals: jax.Array, tangents: jax.Array):
    x, = primals
    x_dot, = tangents
    return jnp.ones_like(x), x * x_dot

def fun(x):
    return foo(x) ** 2

x = jnp.array(0.5)
print(x)
print(jax.jacfwd(fun)(x))
print(jax.hessian(fun)(x))
