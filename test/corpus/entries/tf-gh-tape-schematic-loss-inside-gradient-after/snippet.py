# Set up the tape.
with tf.GradientTape() as tape:
    # Transform the data and compute the loss with the tape recording gradients.
    prediction = model(data)
    loss = loss(prediction)
# Now, gather the gradients and apply them.
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
