x_tensor = tf.convert_to_tensor(input_data, dtype=tf.float32)

with tf.GradientTape() as t:
    t.watch(x_tensor)

    output = model(x_tensor)

result = output
gradients = t.gradient(output, x_tensor)
