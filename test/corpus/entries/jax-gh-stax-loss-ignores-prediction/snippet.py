import jax.numpy as np
from jax import grad, jit, random
from jax.experimental import optimizers, stax
from jax.experimental.stax import Dense, Relu, Sigmoid

init_fun, apply_fun = stax.serial(
    Dense(n_nodes), Relu, Dense(n_nodes), Relu, Dense(1), Sigmoid
)
out_shape, params = init_fun(random.PRNGKey(2), (n_samples, n_features))

opt_init, opt_update, get_params = optimizers.adam(step_size=learning_rate)
opt_state = opt_init(params)


def loss(params, x, y):
    p = apply_fun(params, x)
    ce_loss = -np.sum(y * np.log(y) + (1 - y) * np.log(1 - y))
    return ce_loss
