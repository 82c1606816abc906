import torch
import timeit

from torch import nn
from functorch import vmap, jacrev
from torch.autograd.functional import jacobian


def functorch_jacobian():
    """calculate a jacobian tensor along a batch of inputs. returns something of size
    `batch_size` x `output_dim` x `input_dim`"""
    return vmap(jacrev(model))(points)

def pytorch_jacobian():
    """calculate a jacobian tensor along a batch of inputs. returns something of size
    `batch_size` x `output_dim` x `input_dim`"""
    def _func_sum(points):
        return model(points).sum(dim=0)
    return jacobian(_func_sum, points, create_graph=True, vectorize=True).permute(1,0,2)

torch.manual_seed(1234)

n_input, n_output, n_batch, n_hidden = 3, 5, 128, 64

model = nn.Sequential(nn.Linear(n_input, n_hidden), nn.Tanh(), nn.Linear(n_hidden, n_output))
points = torch.rand((n_batch, n_input))
