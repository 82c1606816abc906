import numpy as np
import tensorflow as tf
w = tf.Variable( [[1. , 2. ],[ 3., 4.]] , name='w')
x = tf.Variable( [[1., 2.]] , name='x')
with tf.GradientTape(persistent=True) as tape:
    y = x @ w
    loss = y
grad = tape.gradient( loss, [x])
