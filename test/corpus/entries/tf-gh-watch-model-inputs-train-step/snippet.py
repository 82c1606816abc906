def train_step(images, labels):
  with tf.GradientTape() as tape:
    predictions = model(images)
    tape.watch(model.inputs)
    loss = loss_object(labels, predictions)
  print(tape.gradient(loss, model.inputs))
