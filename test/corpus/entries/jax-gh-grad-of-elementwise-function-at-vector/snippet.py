from jax import grad
from scipy.misc import derivative
from jax.scipy.special import *
from jax.numpy import *

def diff(fun, order=1):
	f = fun
	for i in range(order):
		f = grad(f)
	return f


f = lambda x: sin(x)
df = diff(f)
m = array([1.0, 2.0, 3.0])
print(df(m))
