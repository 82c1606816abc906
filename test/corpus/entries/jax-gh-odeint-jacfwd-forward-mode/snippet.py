def f(k):
  return ode.odeint(lambda x, t: k*x, 1.,  jnp.linspace(0, 1., 50)).sum()
jax.jacfwd(f)(3.)
