r = tf.random.uniform(shape=tf.shape(v), minval=0.001, maxval=0.005)
r = tf.add(v,r)

with tf.GradientTape() as tape:
  tape.watch(r)
  h1 = layers.LSTM(units=128, name='LSTM_layer_r')(r)
  p_logit_r = layers.Dense(units=10, name='Dense_layer_r')(h1)
  kl = compute_kld(p_logit, p_logit_r)
grad = tape.gradient(kl, r)

print(grad)
