from jax import grad

def f(x):
  val = x**2
  aux = [x**3, x**4]
  return val, aux

g, aux = grad(f, has_aux=True)(2.)
print(g)  # 4. == grad(lambda x: x**2)(2.)
print(aux)  # [8., 16.]
