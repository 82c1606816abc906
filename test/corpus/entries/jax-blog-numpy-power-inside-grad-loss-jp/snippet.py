import numpy as np
x = np.linspace(0,1,100)
y = 2 * x + 3 + np.random.randn(100)

def f(params, x, y):
  return np.mean(np.power((params['w'] * x + params['b'])-y , 2))

from jax import grad
df = grad(f)
params = dict()
...
