import tensorflow as tf
import losses


class Model(object):

    def make_train_op(self, images):
        images_real = images
        images_real = self.resize_image(images_real)

        d_real = self.build_discriminator(images_real, reuse=False,
                                          training=True)

        images_fake = self.build_generator(training=True)

        d_fake = self.build_discriminator(images_fake, reuse=True,
                                          training=True)

        d_loss, g_loss = None, None
        if self.cfg.loss_mode == 'wgan_gp':
            d_loss, g_loss = losses.wgan_loss(d_real, d_fake)
            # Gradient penalty
            lambda_gp = self.cfg.lambda_gp
            gamma_gp = self.cfg.gamma_gp
            batch_size = self.cfg.batch_size
            nc = self.cfg.input_shape[-1]
            res = self.cfg.resolution
            input_shape = [batch_size, res, res, nc]
            alpha = tf.random_uniform(shape=input_shape, minval=0., maxval=1.)
            differences = images_fake - images_real
            interpolates = images_real + alpha * differences
            gradients = tf.gradients(
                self.build_discriminator(interpolates, reuse=True, training=True),
                [interpolates, ])[0]
            slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]))
            gradient_penalty = \
                lambda_gp * tf.reduce_mean((slopes / gamma_gp - 1.) ** 2)
            d_loss += gradient_penalty
