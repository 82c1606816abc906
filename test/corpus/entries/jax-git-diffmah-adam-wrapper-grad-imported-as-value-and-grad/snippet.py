import numpy as np
from jax import numpy as jax_np
from jax import grad as value_and_grad
from jax import jit as jax_jit
from jax.experimental import optimizers as jax_opt
from collections import OrderedDict


def jax_adam_wrapper(loss_func, params_init, loss_data, n_step, step_size=1e-3):
    """Convenience function wrapping JAX's Adam optimizer used to
    minimize the loss function loss_func.
    """
    loss_arr = np.zeros(n_step).astype("f4")
    opt_init, opt_update, get_params = jax_opt.adam(step_size)
    opt_state = opt_init(params_init)
    n_params = len(params_init)
    params_arr = np.zeros((n_step, n_params)).astype("f4")

    for istep in range(n_step):
        p = get_params(opt_state)
        params_arr[istep, :] = p
        loss, grads = value_and_grad(loss_func, argnums=0)(p, loss_data)
        loss_arr[istep] = loss
        opt_state = opt_update(istep, grads, opt_state)

    params_step_n = get_params(opt_state)
    return params_step_n, loss_arr, params_arr
