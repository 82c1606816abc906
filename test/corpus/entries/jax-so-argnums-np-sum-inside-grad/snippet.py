def make_mse(x, t):
  def mse(w,b):
    return np.sum(jnp.power(x.dot(w) + b - t, 2))/2
  return mse

w_gradient, b_gradient = grad(make_mse(train_data, y), (0,1))(w,b)
