x = tf.constant([4.0])
y = tf.constant([2.0])
with tf.GradientTape() as tape:
    tape.watch([x, y])
    z = x * y
    
tape.gradient(z, [x, y])
