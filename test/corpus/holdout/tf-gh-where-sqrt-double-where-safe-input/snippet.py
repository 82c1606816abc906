tf.where(y > 0, tf.sqrt(tf.where(y > 0, y, 1)), y)
