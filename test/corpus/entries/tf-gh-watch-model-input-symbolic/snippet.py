with tf.GradientTape() as tape:
    tape.watch(model.input)
    model_vals = model(v)
tape.gradient(model_vals, model.input)
