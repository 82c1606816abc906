def dydx(x, y):
    return dde.grad.jacobian(y, x, i=0, j=0)
dy_dx = model.predict(X, operator=dydx)
