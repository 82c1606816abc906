first_derivative = autograd.grad(loss, x, create_graph=True)[0]
second_derivative = autograd.grad(first_derivative, x)[0]
