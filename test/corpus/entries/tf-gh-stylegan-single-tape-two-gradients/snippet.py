with tf.GradientTape() as tape:
    ...
    gradients_of_generator = tape.gradient(gen_loss, self.GAN.GM.trainable_variables)
    gradients_of_discriminator = tape.gradient(disc_loss, self.GAN.D.trainable_variables)
