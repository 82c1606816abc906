gradients = tf.gradients(discriminator(interpolates), [interpolates])[0]
