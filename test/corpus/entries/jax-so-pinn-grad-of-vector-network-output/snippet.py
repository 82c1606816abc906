def u(params, inputs):
    for Weights, biases in params:
        outputs = np.dot(inputs, Weights) + biases
        inputs = sigmoid(outputs)
    return outputs


dudx = grad(u,1)(x)
d2udx2 = grad(grad(u,1)(x))(x)
