import numpy as np
import deepxde as dde
from deepxde.backend import tf

def main():
    def pde(x, y):
        dy_x = tf.gradients(y, x)[0]
        dy_x, dy_y,dy_t = dy_x[:, 0:1], dy_x[:, 1:2], dy_x[:,2:]
        dy_xx = tf.gradients(dy_x, x)[0][:, 0:1]
        dy_yy = tf.gradients(dy_y, y)[0][:, 1:2]
        return dy_t-y*(dy_xx+dy_yy)-y
