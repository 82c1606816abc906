D_inter,_,_=self.discriminator(interpolates, is_training=True, reuse=True) 
gradients = tf.gradients(D_inter, [interpolates])[0]
