import tensorflow as tf

with tf.variable_scope("shared_layer"):
    # Linear layer with ReLU and droput
    weights_shared, bias_shared = linear_layer(feature_size, shared_layer_size)
    hidden_output_shared = tf.nn.relu(tf.matmul(tf.expand_dims(X_, 0), weights_shared) + bias_shared)
    hidden_output_shared = tf.nn.dropout(hidden_output_shared, rate=1-keep_prob)

...

with tf.variable_scope("loss_gradnorm"):
    # Task weights
    w1 = tf.Variable(1.0)
    w2 = tf.Variable(1.0)

    # Define loss functions
    loss_t1 = tf.losses.mean_squared_error(y1_out, Y1_)
    loss_t2 = tf.losses.mean_squared_error(y2_out, Y2_)

    # Scale loss using weights
    l1 = tf.multiply(loss_t1, w1)
    l2 = tf.multiply(loss_t2, w2)

    # Model joint loss
    #loss_op = tf.div(tf.add(l1, l2), 2)
    loss_op = tf.add(l1, l2)

    # L0 for task 1 and 2
    # workaround to assign value for first loss
    # Variables to hold vaue for initial task losses
    l01_ = tf.Variable(-1.0, trainable=False)
    l02_ = tf.Variable(-1.0, trainable=False)

    def assign_l01():
      with tf.control_dependencies([tf.assign(l01_, loss_t1)]):
        return tf.identity(l01_)
    def assign_l02():
      with tf.control_dependencies([tf.assign(l02_, loss_t2)]):
        return tf.identity(l02_)

    l01 = tf.cond(tf.equal(l01_, -1.0),
                  assign_l01,
                  lambda : tf.identity(l01_))
    l02 = tf.cond(tf.equal(l02_, -1.0),
                  assign_l02,
                  lambda : tf.identity(l02_))


    # L2-norm of gradients of each task loss wrt shared parameters
    G1R = tf.gradients(l1, weights_shared)
    G1 = tf.norm(G1R, ord=2)
    G2R = tf.gradients(l2, weights_shared)
    G2 = tf.norm(G2R, ord=2)

    # Gradient averaged over all tasks
    G_avg = tf.div(tf.add(G1, G2), 2)

    # Relative losses L_hat_i(t)
    l_hat_1 = tf.div(l1, l01)
    l_hat_2 = tf.div(l2, l02)
    l_hat_avg = tf.div(tf.add(l_hat_1, l_hat_2), 2)

    # Inverse training rates r_i(t)
    inv_rate_1 = tf.div(l_hat_1, l_hat_avg)
    inv_rate_2 = tf.div(l_hat_2, l_hat_avg)

    # Constant target (Eq. 1 in paper)
    a = tf.constant(alpha)
    C1 = tf.multiply(G_avg, tf.pow(inv_rate_1, a))
    C2 = tf.multiply(G_avg, tf.pow(inv_rate_2, a))
    C1 = tf.stop_gradient(tf.identity(C1))
    C2 = tf.stop_gradient(tf.identity(C2))

    # GradNorm loss (Eq. 2 in paper)
    loss_gradnorm = tf.add(
        tf.reduce_sum(tf.abs(tf.subtract(G1, C1))),
        tf.reduce_sum(tf.abs(tf.subtract(G2, C2))))

    # Renormalize weights
    with tf.control_dependencies([loss_gradnorm]):
        coef = tf.div(2.0, tf.add(w1, w2))
        w1_update = w1.assign(tf.multiply(w1, coef))
        w2_update = w2.assign(tf.multiply(w2, coef))
        update_op  = [w1_update, w2_update]


with tf.Session() as sess:
    ...
    # Define loss optimizer
    loss_vars = [w1, w2]

    opt_loss = tf.train.AdamOptimizer(LR)
    loss_step = opt_loss.minimize(loss_gradnorm, global_step=global_step, var_list=loss_vars)
