@tf.function
def critic_z_gradient_penalty(self, batch_size, y_true, y_pred):
    """
    Calculates the gradient penalty.
    """
    alpha = tf.keras.backend.random_uniform((batch_size, 1, 1))
    interpolated = (alpha * y_true) + ((1 - alpha) * y_pred)

    with tf.GradientTape() as gp_tape:
        gp_tape.watch(interpolated)
        # 1. Get the discriminator output for this interpolated image.
        pred = self.critic_z(interpolated)

    # 2. Calculate the gradients w.r.t to this interpolated image.
    grads = gp_tape.gradient(pred, [interpolated])[0]
    norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2]))
    gp = tf.reduce_mean((1.0 - norm) ** 2)

    return gp
