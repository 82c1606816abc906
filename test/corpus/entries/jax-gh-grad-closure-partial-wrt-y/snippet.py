def f(x, y):
  ...

x = ...

grad_wrt_y = grad(lambda y: f(x, y))
grad_wrt_y = grad(partial(f, x))
