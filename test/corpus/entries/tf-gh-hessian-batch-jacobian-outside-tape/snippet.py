with tf.GradientTape(persistent=True) as tape:
  tape.watch(x)
  y = model(x)
grads = tape.batch_jacobian(y, x)
hessian = tape.batch_jacobian(grads, x)
hessian.numpy().any() > 0
