def predict(params, inputs):
  activations = inputs
  for w, b in params[:-1]:
    outputs = jnp.dot(w, activations) + b
    activations = jnp.tanh(outputs)
  
  final_w, final_b = params[-1]
  field_output = jnp.dot(final_w, activations) + final_b
  return field_output

batched_predict = vmap(predict, in_axes=(None, 0), out_axes=0)

def func(X):
    return (batched_predict(params, X))

grad(batched_predict)(X)
grad(grad(batched_predict))(X)
