with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:

    ...

    gradients_of_generator = gen_tape.gradient(gen_loss, self.GAN.GM.trainable_variables)
    gradients_of_discriminator = disc_tape.gradient(disc_loss, self.GAN.D.trainable_variables)
