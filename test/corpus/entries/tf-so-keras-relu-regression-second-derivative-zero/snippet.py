import tensorflow as tf
import tensorflow.keras.backend as K
from tensorflow.keras import datasets, layers, models
from tensorflow.keras import optimizers
import numpy as np


x = np.linspace(0, 1, 1000)
y = x**2

def model_regression():
  model = tf.keras.Sequential([
  layers.Dense(1024, input_dim=1, activation="relu"),
  layers.Dense(1, activation="linear")])
  model.compile(optimizer=optimizers.Adam(lr=0.001),
           loss='mean_squared_error')
  return model

my_model = model_regression()
my_model.fit(x, y, epochs=10, batch_size=20)

y_pred = my_model.predict(x)

#### Technique 1
first_input = K.gradients(my_model.output, my_model.input)
second_input = K.gradients(first_input, my_model.input)
iterate_first = K.function([my_model.input], [first_input])
iterate_second = K.function([my_model.input], [second_input])
