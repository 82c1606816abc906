import torch

from collections import OrderedDict
from maml.modules import MetaModule

def update_parameters(model, loss, params=None, step_size=0.5, first_order=False):
    if not isinstance(model, MetaModule):
        raise ValueError()
    grads = torch.autograd.grad(loss, model.meta_parameters(),
        create_graph=not first_order)

    if params is None:
        params = OrderedDict(model.meta_named_parameters())
    out = OrderedDict()

    if isinstance(step_size, (dict, OrderedDict)):
        for (name, param), grad in zip(params.items(), grads):
            out[name] = param - step_size[name] * grad
    else:
        for (name, param), grad in zip(params.items(), grads):
            out[name] = param - step_size * grad

    return out
