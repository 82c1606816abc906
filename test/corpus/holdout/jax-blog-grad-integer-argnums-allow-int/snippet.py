import jax

def fun(x, y):
    print(x, y)
    return jax.numpy.sum(2*x[0] + y[0] + 2*x[1] + y[1])

fun_grad = jax.grad(fun, argnums=(0, 1), allow_int=True)

x = [jax.numpy.arange(0, 5).astype(jax.numpy.float32), jax.numpy.arange(1, 6).astype(jax.numpy.float32),]
y = [jax.numpy.arange(1, 6), jax.numpy.arange(2, 7),]

print( fun_grad(x, y) )
