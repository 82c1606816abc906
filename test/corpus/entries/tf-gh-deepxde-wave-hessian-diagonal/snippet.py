def pde(x, u):
    c0 = 1
    
    #Using new DeepXDE Jacobians and Hessians
    du_xx = dde.grad.hessian(u, x, i=0, j=0)
    du_yy = dde.grad.hessian(u, x, i=1, j=1) 
    du_tt = dde.grad.hessian(u, x, i=2, j=2)
    return   du_tt - (c0 ** 2) * (du_xx + du_yy)
