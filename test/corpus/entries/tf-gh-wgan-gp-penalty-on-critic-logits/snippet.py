gradients = tf.gradients(Discriminator(interpolates), [interpolates])[0]
