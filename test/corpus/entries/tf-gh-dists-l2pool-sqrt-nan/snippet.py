def conv_layer(self, input, name):
    with tf.variable_scope(name) as _:
        filter = self.get_conv_filter(name)
        conv = tf.nn.conv2d(input, filter, strides=1, padding="SAME")
        bias = self.get_bias(name)
        conv = tf.nn.relu(tf.nn.bias_add(conv, bias))
        return conv

def pool_layer(self, input, name):
    # return tf.nn.max_pool(input, ksize=[1,2,2,1], strides=[1,2,2,1], padding="SAME")
    with tf.variable_scope(name) as _:
        filter = tf.squeeze(tf.constant(self.parameters['L2'+name], name = "filter"),3)
        conv = tf.nn.conv2d(input**2, filter, strides=2, padding=[[0, 0], [1, 0], [1, 0], [0, 0]])
        return tf.sqrt(conv)
