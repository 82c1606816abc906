import jax.numpy as np
from jax import grad, vmap
from jax.nn import log_softmax as logsoftmax

from cleverhans.jax.utils import one_hot


def fast_gradient_method(
    model_fn, x, eps, norm, clip_min=None, clip_max=None, y=None, targeted=False
):
    if norm not in [np.inf, 2]:
        raise ValueError("Norm order must be either np.inf or 2.")

    if y is None:
        # Using model predictions as ground truth to avoid label leaking
        x_labels = np.argmax(model_fn(x), 1)
        y = one_hot(x_labels, 10)

    def loss_adv(image, label):
        pred = model_fn(image[None])
        loss = -np.sum(logsoftmax(pred) * label)
        if targeted:
            loss = -loss
        return loss

    grads_fn = vmap(grad(loss_adv), in_axes=(0, 0), out_axes=0)
    grads = grads_fn(x, y)

    axis = list(range(1, len(grads.shape)))
    avoid_zero_div = 1e-12
    if norm == np.inf:
        perturbation = eps * np.sign(grads)

    adv_x = x + perturbation

    # If clipping is needed, reset all values outside of [clip_min, clip_max]
    if (clip_min is not None) or (clip_max is not None):
        # We don't currently support one-sided clipping
        assert clip_min is not None and clip_max is not None
        adv_x = np.clip(adv_x, a_min=clip_min, a_max=clip_max)

    return adv_x
