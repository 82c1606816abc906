gx, = grad(f, (0,))(x0)
gx, gy = grad(f, (0,1))(x0, y0)
