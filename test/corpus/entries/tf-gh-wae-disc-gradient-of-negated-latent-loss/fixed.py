def compute_gradients(self, x):
    with tf.GradientTape() as vae_tape, tf.GradientTape() as disc_tape, tf.GradientTape() as enc_tape:
        vae_loss, latent_loss, enc_loss = self.compute_loss_vae(x)

    self.vae_gradients = vae_gradients = vae_tape.gradient( vae_loss, self.enc.trainable_variables +  self.dec.trainable_variables )
    self.disc_gradients = disc_gradients = disc_tape.gradient( latent_loss, self.disc.trainable_variables )
