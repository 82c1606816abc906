def pde_source(x, u):
  u_xx = dde.grad.hessian(u, x, i = 0, j = 0)
  u_yy = dde.grad.hessian(u, x, i = 0, j = 1)
  u_t = dde.grad.jacobian(u, x, i = 2)
  return u_t - nu*(u_xx + u_yy)
