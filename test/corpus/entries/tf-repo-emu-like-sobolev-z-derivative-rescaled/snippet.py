import tensorflow as tf
from tensorflow import keras


class SobolevTrainingModel(keras.Model):
    """Keras model with value and redshift-derivative training losses."""

    def __init__(
            self, network, z_index, z_mean, z_scale, pk_scale,
            growth_mean, growth_scale, reference_growth, redshift_grid,
            pk_weight, **kwargs):
        super().__init__(**kwargs)
        self.network = network
        self.z_index = int(z_index)
        self.z_mean = tf.constant(z_mean, dtype=tf.float32)
        self.z_scale = tf.constant(z_scale, dtype=tf.float32)
        self.pk_scale = tf.constant(pk_scale, dtype=tf.float32)
        self.growth_mean = tf.constant(growth_mean, dtype=tf.float32)
        self.growth_scale = tf.constant(growth_scale, dtype=tf.float32)
        self.pk_weight = tf.constant(float(pk_weight), dtype=tf.float32)
        self.fk_weight = tf.Variable(0.0, trainable=False, dtype=tf.float32)

    def _loss_terms(self, x_scaled, pk_true, fk_true, training):
        # The outer tape differentiates through the input derivative while
        # optimizing network weights; it therefore supplies second-order
        # derivatives required by Sobolev training.
        with tf.GradientTape() as outer_tape:
            with tf.GradientTape() as z_tape:
                z_tape.watch(x_scaled)
                pk_pred = self.network(x_scaled, training=training)
            jacobian = z_tape.batch_jacobian(pk_pred, x_scaled)
            d_pk_d_z_scaled = jacobian[:, :, self.z_index]

            z = (x_scaled[:, self.z_index] * self.z_scale + self.z_mean)
            d_log_ratio_d_z = (
                self.pk_scale / self.z_scale * d_pk_d_z_scaled)
            f_pred = self._interpolate_reference_growth(z) - 0.5 * (
                1.0 + z[:, tf.newaxis]) * d_log_ratio_d_z
            f_pred_scaled = (f_pred - self.growth_mean) / self.growth_scale

            pk_loss = tf.reduce_mean(tf.square(pk_pred - pk_true))
            fk_loss = tf.reduce_mean(tf.square(f_pred_scaled - fk_true))
            total_loss = self.pk_weight * pk_loss + self.fk_weight * fk_loss
        return outer_tape, total_loss, pk_loss, fk_loss

    def train_step(self, data):
        x_scaled, targets, _ = keras.utils.unpack_x_y_sample_weight(data)
        pk_true = targets['pk']
        fk_true = targets['fk']
        tape, total_loss, pk_loss, fk_loss = self._loss_terms(
            x_scaled, pk_true, fk_true, training=True)
        gradients = tape.gradient(total_loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        return {'loss': total_loss}
