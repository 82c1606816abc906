import tensorflow as tf


# Define PDE residual
def operator(u, t, x, k,  sigma_t=1.0, sigma_x=1.0):
    u_t = tf.gradients(u, t)[0] / sigma_t
    u_x = tf.gradients(u, x)[0] / sigma_x
    u_xx = tf.gradients(u_x, x)[0] / sigma_x
    residual = u_t - k * u_xx
    return residual
