with tf.name_scope('conv1_1') as scope:
     kernel = tf.Variable(tf.truncated_normal([3, 3, 3, 64], dtype=tf.float32,
                                              stddev=1e-1), name='weights')
     kernel = kernel[:, :, : 0:32].assign(tf.zeros([3, 3, 3, 32]))
     conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], padding='SAME')
     biases = tf.Variable(tf.constant(0.0, shape=[64], dtype=tf.float32),
                          trainable=True, name='biases')
     out = tf.nn.bias_add(conv, biases)
     self.conv1_1 = tf.nn.relu(out, name=scope)
     self.parameters += [kernel, biases]
