with tf.GradientTape() as tape:
    grads = tape.gradient(model.output[:,0], layers_wt)[0]
