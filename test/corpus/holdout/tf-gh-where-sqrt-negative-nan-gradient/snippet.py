tf.where(y > 0, tf.sqrt(y), y)
