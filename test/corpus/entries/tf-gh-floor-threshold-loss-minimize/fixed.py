loss_op = tf.reduce_mean(tf.abs(y_true - y_prob))
optimizer_op = tf.train.GradientDescentOptimizer(0.005).minimize(loss_op)
