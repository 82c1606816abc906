def pde2(X,U):
  x,z,t=X[:, 0:1],X[:, 1:2],X[:, 2:]
  psi,eta=U[:, 0:1], U[:, 1:]

  psi_x = dde.grad.jacobian(psi, x)
  psi_xx = dde.grad.hessian(psi, x, i=0, j=0)
  psi_xxx = dde.grad.jacobian(psi_xx, x)
  psi_xxxx = dde.grad.hessian(psi_xx, x, i=0, j=0)

  psi_z = dde.grad.jacobian(psi, z)
  psi_zz = dde.grad.hessian(psi, z, i=0, j=0)
  psi_zzz = dde.grad.jacobian(psi_zz, z)
  psi_zzzz = dde.grad.hessian(psi_zz, z, i=0, j=0)
  ...
  return ...
