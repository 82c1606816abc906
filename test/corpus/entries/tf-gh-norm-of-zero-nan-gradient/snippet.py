import numpy as np
import tensorflow as tf

X = tf.placeholder(tf.float32, shape=(4,None))
Z = tf.norm(X)
var_grad = tf.gradients(Z, [X])

with tf.Session() as sess:
    X_ = np.array([
        [0],
        [0],
        [0],
        [0]
    ], dtype=np.float32)
    
    [Z_val, Z_grad] = sess.run([Z, var_grad], feed_dict={X: X_})
