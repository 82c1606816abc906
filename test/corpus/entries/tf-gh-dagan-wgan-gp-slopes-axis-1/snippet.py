import tensorflow as tf
from dagan_architectures import UResNetGenerator, Discriminator


class DAGAN:

    def loss(self, gpu_id):

        with tf.name_scope("losses_{}".format(gpu_id)):

            input_a, input_b = self.data_augment_batch(self.input_x_i[gpu_id], self.input_x_j[gpu_id])
            x_g = self.generate(input_a)

            g_same_class_outputs, g_discr_features = self.d(x_g, input_a, training=self.training_phase,
                                          dropout_rate=self.dropout_rate)

            t_same_class_outputs, t_discr_features = self.d(input_b, input_a, training=self.training_phase,
                                          dropout_rate=self.dropout_rate)

            d_real = t_same_class_outputs
            d_fake = g_same_class_outputs
            d_loss = tf.reduce_mean(d_fake) - tf.reduce_mean(d_real)
            g_loss = -tf.reduce_mean(d_fake)

            alpha = tf.random_uniform(
                shape=[self.batch_size, 1],
                minval=0.,
                maxval=1.
            )
            input_shape = input_a.get_shape()
            input_shape = [int(n) for n in input_shape]
            differences_g = x_g - input_b
            differences_g = tf.reshape(differences_g, (self.batch_size, input_shape[1]*input_shape[2]*input_shape[3]))
            interpolates_g = input_b + tf.reshape(alpha * differences_g, (self.batch_size, input_shape[1],
                                                                          input_shape[2], input_shape[3]))
            pre_grads, grad_features = self.d(interpolates_g, input_a, dropout_rate=self.dropout_rate,
                                     training=self.training_phase)
            gradients = tf.gradients(pre_grads, [interpolates_g, input_a])[0]
            slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients), reduction_indices=[1]))
            gradient_penalty = tf.reduce_mean((slopes - 1.) ** 2)
            d_loss += 10 * gradient_penalty
