import numpy as np

def calculate_mse(params, x, y):
  return np.mean(np.power((params['w'] * x + params['b']) - y, 2))

# Example data generation
x_data = np.linspace(0, 1, 100)
y_data = 2 * x_data + 3 + np.random.randn(100)

params = {'w': 2.4, 'b': 10.}

from jax import grad
df_calculate_mse = grad(calculate_mse)

# Attempting to compute gradients will lead to the error:
df_calculate_mse(params, x_data, y_data)
