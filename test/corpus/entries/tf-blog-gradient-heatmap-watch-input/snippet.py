import tensorflow as tf
import numpy as np
import matplotlib.pyplot as plt
image = np.random.rand(28, 28).astype(np.float32)
image_tensor = tf.convert_to_tensor(image)[None, ..., None]
model = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, (3, 3), activation="relu"),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(10)
])
loss_fn = lambda x: tf.reduce_mean(model(x))
with tf.GradientTape() as tape:
    tape.watch(image_tensor)
    loss = loss_fn(image_tensor)
gradients = tape.gradient(loss, image_tensor)[0, :, :, 0].numpy()
gradients -= gradients.min()
gradients /= gradients.max()
plt.imshow(gradients, cmap="hot")
