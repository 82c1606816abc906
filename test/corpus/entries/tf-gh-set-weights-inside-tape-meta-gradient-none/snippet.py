l = tf.constant(0.1)
with tf.GradientTape() as gt:
  gt.watch(l)
  new_weights = [w * l for w in learner.weights]

  learner.set_weights(new_weights)

  y_pred = learner(batch["train"]["X"])
  loss = tf.keras.losses.categorical_crossentropy(batch["train"]["y"], y_pred)
grads = gt.gradient(loss, l)
grads # returns None
