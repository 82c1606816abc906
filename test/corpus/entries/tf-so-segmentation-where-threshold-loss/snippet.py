def loss(y_true, y_pred):   
    tresholded_pred = tf.where(y_pred >= 0.5, 1.0, 0.0)
    sq_diff = tf.square(y_true - tresholded_pred)
    return tf.reduce_mean(sq_diff, axis=-1)
