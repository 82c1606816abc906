with tf.GradientTape() as tape:
      prediction = model(x, training=True)
      var_list = tape.watched_variables()
      loss = compute_loss(prediction, label, operation = 'L2')
grads = tape.gradient(loss, model.variables)
optimizer.apply_gradients(zip(grads, model.variables), global_step = step)
