import tensorflow as tf
a = tf.Variable([[-1.], [0.], [1.]])
b = tf.Variable([[1.,2.,3.],[4.,5.,6.]])
with tf.GradientTape() as g:
  c = b @ a
grads = g.gradient(c, a)
print(c)
print(grads)
