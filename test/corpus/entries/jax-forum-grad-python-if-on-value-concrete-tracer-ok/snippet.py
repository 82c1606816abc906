import jax

def f(x):
  if x < 0:
    return 0.0
  return x ** 2

print(jax.grad(f)(1.0))
# 2.0
