with tf.GradientTape() as tape:
  g_fake_data = G(gen_input)
  dg_fake_decision = D(get_moments(g_fake_data.numpy().T).reshape((1,4)))
  ...
