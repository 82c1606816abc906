def problematic_loss(y_true, y_pred):
    # This operation isn't differentiable
    y_pred_binary = tf.cast(y_pred > 0.5, tf.float32)
    
    # The rest of the loss function
    return tf.reduce_mean(tf.square(y_true - y_pred_binary))
