def pde(x, y):
    D = tf.Variable(10e-5)
    dT_t = dde.grad.jacobian(y, x, j=2)
    dT_zz = dde.grad.hessian(y, x, j=1)
    dT_yy = dde.grad.hessian(y, x, j=0)
    
    return (dT_t - D * (dT_yy + dT_zz))
