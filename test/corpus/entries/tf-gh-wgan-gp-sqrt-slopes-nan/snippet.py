G_loss = -tf.reduce_mean(D_fake)
D_loss = tf.reduce_mean(D_fake) - tf.reduce_mean(D_real)

epsilon = tf.random_uniform(
    shape=[FLAGS.batch_size, 1, 1, 1],
    minval=0.,
    maxval=1.
)
X_hat = X_real + epsilon * (X_fake - X_real)
D_X_hat = D(X_hat, reuse=True)
grad_D_X_hat = tf.gradients(D_X_hat, [X_hat])[0]
if FLAGS.data_format == "NCHW":
    red_idx = [1]
else:
    red_idx = [-1]
slopes = tf.sqrt(tf.reduce_sum(tf.square(grad_D_X_hat), reduction_indices=red_idx))
gradient_penalty = tf.reduce_mean((slopes - 1.)**2)
D_loss += 10 * gradient_penalty
