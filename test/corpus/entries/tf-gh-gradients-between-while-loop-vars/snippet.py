import tensorflow as tf

i = tf.constant(0)
x = tf.constant(3.0)
print("External gradient:", tf.gradients(x, x)[0])     # Prints Tensor("gradients/Fill:0", shape=(), dtype=float32)

def loop_body(i, x, y):
    print("internal gradient:", tf.gradients(x, y)[0]) # Prints None
    return i + 1, x, y

tf.while_loop( lambda i,x,y: tf.less(i, 5), loop_body, [i, x, x]);
