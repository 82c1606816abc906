x_round = x_clip + tf.stop_gradient(x_clip // 1 - x_clip)
