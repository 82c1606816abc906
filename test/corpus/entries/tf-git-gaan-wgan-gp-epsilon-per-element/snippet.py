import os
import numpy as np
import tensorflow as tf
import time

from modules.imutils import *
from modules.models import *
from modules import ops

class GAAN(object):

    def create_model(self):

        self.X = tf.placeholder(tf.float32, shape=[None, self.data_dim])
        self.z = tf.placeholder(tf.float32, shape=[None, self.noise_dim])

        # create generator
        with tf.variable_scope('generator'):
            self.G   = self.create_generator()
            self.X_f = self.G(self.z,   self.data_shape, dim = self.gf_dim, reuse=False) #generate fake samples

        # create discriminator
        with tf.variable_scope('discriminator'):
            self.D   = self.create_discriminator()
            self.d_real_sigmoid,  self.d_real_logit,  self.f_real   = self.D(self.X,   self.data_shape, dim = self.gf_dim, reuse=False)
            self.d_fake_sigmoid,  self.d_fake_logit,  self.f_fake   = self.D(self.X_f, self.data_shape, dim = self.gf_dim, reuse=True)

            # Compute gradient penalty
            epsilon = tf.random_uniform(shape=tf.shape(self.X), minval=0., maxval=1.)
            interpolation = epsilon * self.X + (1 - epsilon) * self.X_f
            _,d_inter,_ = self.D(interpolation, self.data_shape, reuse=True)
            gradients = tf.gradients([d_inter], [interpolation])[0]
            slopes = tf.sqrt(tf.reduce_mean(tf.square(gradients), reduction_indices=[1]))
            penalty = tf.reduce_mean((slopes - 1) ** 2)
