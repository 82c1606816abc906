dy_xt =  dde.grad.hessian(y, x, i=0, j=1)
dy_tt = dde.grad.hessian(y, x, i=1, j=1)
dy_xx = dde.grad.hessian(y, x, i=0, j=0)
