import tensorflow as tf


class vagan:

    def __init__(self, exp_config, data, fixed_batch_size=None):
        self.exp_config = exp_config
        self.critic_net = exp_config.critic_net
        self.generator_net = exp_config.generator_net

        self.img_tensor_shape = [fixed_batch_size] + list(exp_config.image_size) + [1]
        self.training_pl_cri = tf.placeholder(tf.bool, name='training_phase_critic')
        self.training_pl_gen = tf.placeholder(tf.bool, name='training_phase_generator')

        self.x_c0 = tf.placeholder(tf.float32, self.img_tensor_shape, name='c0_img')
        self.x_c1 = tf.placeholder(tf.float32, self.img_tensor_shape, name='c1_img')

        self.M = self.generator_net(self.x_c1, self.training_pl_gen)
        self.y_c0_ = self.x_c1 + self.M

        self.D = self.critic_net(self.x_c0, self.training_pl_cri, scope_reuse=False)
        self.D_ = self.critic_net(self.y_c0_, self.training_pl_cri, scope_reuse=True)

        self.cri_loss = self.critic_loss()

    def critic_loss(self):

        cri_loss = tf.reduce_mean(self.D) - tf.reduce_mean(self.D_)

        # if using improved training
        if self.exp_config.improved_training:

            critic_net = self.exp_config.critic_net
            epsilon = tf.random_uniform([tf.shape(self.x_c1)[0],1,1,1], 0.0, 1.0)

            x_hat = epsilon * self.x_c0 + (1 - epsilon) * self.y_c0_
            d_hat = critic_net(x_hat, self.training_pl_cri, scope_reuse=True)

            grads = tf.gradients(d_hat, x_hat)[0]
            slopes = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1))
            penalty = self.exp_config.scale * tf.reduce_mean(tf.square(slopes - 1.0))

            cri_loss += penalty

        return cri_loss
