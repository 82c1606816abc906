u1, u2 = u[:, 0:1], u[:, 1:2]      # u1= real[u]. u2 = imag[u]

du1_z = dde.grad.jacobian(u, xyz, i=0, j=2)
du1_xx = dde.grad.hessian(u, xyz, component=0, i=0, j=0)
du1_yy = dde.grad.hessian(u, xyz, component=0, i=1, j=1) # changed "i" to 1 so that we have (d^2 u1/dx_1dx_1)

du2_z = dde.grad.jacobian(u, xyz, i=1, j=2)
du2_xx = dde.grad.hessian(u, xyz, component=1, i=0, j=0) # changed "i" to 0 so that we have (d^2 u1/dx_0dx_0)
du2_yy = dde.grad.hessian(u, xyz, component=1, i=1, j=1)
