import tensorflow as tf
def my_mask(x):
    return tf.to_float(tf.greater(x, 0))
def diff_mask(mask_op):
    @tf.custom_gradient
    def _diff_mask(x):
        def grad(dy):
            return dy * tf.ones_like(x)
        return mask_op(x), grad
    return _diff_mask
x = tf.random_normal((5,))
w = tf.random_normal((5,))
m = diff_mask(my_mask)(w)
loss = x * m
g = tf.gradients([loss], [x, w])
sess = tf.InteractiveSession()
sess.run([x, loss] + g)
