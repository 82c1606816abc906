import tensorflow as tf
x_grad = tf.Variable(gpi_input, dtype=tf.float32)
with tf.GradientTape(persistent=True) as tape:
    pred = best_model(x_grad)
grads = tape.gradient(pred, x_grad)
