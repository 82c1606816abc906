import numpy as np

import deepxde as dde

import tensorflow as tf

def main():
    
    def pde(x, y):
        
        phio = 0.1003
        kts = 2.49
        ktf = 0.6
        rhof = 1000
        cpf = 4200
        
        qs = 0
        
        kt = ( 1 - phio )* kts + phio * ktf
        
        y1, y2 = y[:, 0:1], y[:, 1:]
        
        y1 = np.zeros(x.shape)
        
        dy2_x = tf.gradients(y2 , x)[0]
        
        dy2_x, dy2_y = dy2_x[:, 0 : 1], dy2_x[:, 1:]
        
        dy2_xx = tf.gradients(dy2_x, x )[0][:, 0:1]
        
        dy2_yy = tf.gradients(dy2_x, x )[0][: , 1:]
        
        return [ y1 , -kt * ( dy2_xx + dy2_yy ) + rhof * cpf * y1 * ( dy2_x + dy2_y) - qs ]
