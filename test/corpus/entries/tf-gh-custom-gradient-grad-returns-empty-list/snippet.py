import tensorflow as tf

tf.enable_eager_execution()

@tf.custom_gradient
def identity(x):
    def grad(dy):
        return []  # This return value is wrong!
    return x, grad

x = tf.Variable(1.0)
with tf.GradientTape() as t:
    y = identity(x)
t.gradient(y, [x])
