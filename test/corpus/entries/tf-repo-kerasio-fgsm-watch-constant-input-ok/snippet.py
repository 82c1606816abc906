import tensorflow as tf
from tensorflow import keras
import numpy as np
from keras import layers

epsilon = [0, 0.1, 0.15, 0.2, 0.25, 0.30, 0.35]

input = keras.Input((28, 28, 1))
x = layers.Conv2D(32, 3, strides=1, activation="relu")(input)
x = layers.Conv2D(64, 3, strides=1, activation="relu")(x)
x = layers.MaxPooling2D(2)(x)
x = layers.Dropout(0.25)(x)
x = layers.Flatten()(x)
x = layers.Dense(128, activation="relu")(x)
x = layers.Dropout(0.5)(x)
output = layers.Dense(10, activation="softmax")(x)

model = keras.Model(inputs=input, outputs=output)

...

datas = tf.constant(test_images[:256])
targets = tf.constant(test_labels[:256].astype("float16"))

with tf.GradientTape() as tape:
    tape.watch(datas)
    tape.watch(targets)
    outs = model(datas)
    sparse_crossentropy_loss = tf.losses.SparseCategoricalCrossentropy()
    loss = sparse_crossentropy_loss(targets, outs)

datas_grad = tape.gradient(loss, datas)
perturbed_datas = datas + epsilon[1] * tf.sign(datas_grad)
