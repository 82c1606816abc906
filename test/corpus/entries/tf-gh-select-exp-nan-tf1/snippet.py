import tensorflow as tf
x = tf.placeholder(tf.float32)
y = tf.select(x>0, 0., tf.exp(x))
z = tf.gradients(y,x)[0]

with tf.Session() as sess:
    yv,zv = sess.run([y,z],{x: 1e10})
    print(yv) # correctly outputs 0
    print(zv) # this is NaN, but should be 0
