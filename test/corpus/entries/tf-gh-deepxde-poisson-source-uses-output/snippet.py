import math
import numpy as np

import deepxde as dde
from deepxde.backend import tf

def main():
    def pde(x, y):
        dy_xx = dde.grad.hessian(y, x, i=0, j=0)
        dy_yy = dde.grad.hessian(y, x, i=1, j=1)
        return -dy_xx - dy_yy - tf.sin(np.pi * x[:,0:1])*tf.sin(np.pi * y[:,0:1])

    def boundary(_, on_boundary):
        return on_boundary

    geom = dde.geometry.Rectangle([0, 0], [1, 1])
    bc = dde.DirichletBC(geom, lambda x: 0, boundary)

    data = dde.data.PDE(geom, pde, bc, num_domain=1200, num_boundary=120, num_test=1500)
    net = dde.maps.FNN([2] + [50] * 4 + [1], "tanh", "Glorot uniform")
    model = dde.Model(data, net)

    model.compile("adam", lr=0.001)
    model.train(epochs=10000)
