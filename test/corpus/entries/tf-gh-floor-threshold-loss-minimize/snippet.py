y_prob = tf.sigmoid(layer_dropped)

# Set a thresholds value
y_pred = tf.floor(y_prob)

# Loss Operation
loss_op = tf.reduce_mean(tf.abs(y_true - y_pred))
optimizer_op = tf.train.GradientDescentOptimizer(0.005).minimize(loss_op)
