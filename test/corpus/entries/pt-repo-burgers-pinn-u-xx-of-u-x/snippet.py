import numpy as np
import torch
from torch import nn, optim, autograd

class BurgersPINN(nn.Module):
    """Physics-informed neural nets (PINNS) to solve Burgers' equation."""

    def __init__(self,
                 nn_arch=[64, 32, 16, 8],
                 activation_fcn=torch.nn.Tanh,
                 misfit_fcn=torch.nn.MSELoss(),
                 domain=(-1, 1, 0, 1),
                 n_initcond_pts=128,
                 n_boundary_pts=128,
                 n_collocation_pts=1024,
                 device=None):
        super().__init__()
        self._domain = domain
        self._nn_arch = nn_arch
        self._activation_fcn = activation_fcn
        self._misfit_fcn = misfit_fcn
        self._n_initcond_pts = n_initcond_pts
        self._n_boundary_pts = n_boundary_pts
        self._n_collocation_pts = n_collocation_pts

        if device:
            self._device = device
        else:
            self._device = "cuda:0" if torch.cuda.is_available() else "cpu"

        # initialize neural net representation of domain
        self._layers = []
        n_inputs = 2
        # .. add hidden layers
        for i, n_nodes in enumerate(nn_arch):
            self._layers.append(nn.Linear(n_inputs, n_nodes))
            self._layers.append(activation_fcn())
            n_inputs = n_nodes
        # .. add output layer
        self._layers.append(nn.Linear(n_inputs, 1))
        # .. combine layers
        self._model = nn.Sequential(*self._layers)

        self.to(self._device)

    def forward(self, x, t):
        return self._model(torch.cat([x, t], axis=1))

    def pde(self, x, t):
        """Burgers' PDE:
            f(x,t|u) = du/dt + u*(du/dx) - (0.01/pi)(d^2u/dx^2) = 0.
        """
        
        u = self(x, t)
        u_t = autograd.grad(u.sum(), t, create_graph=True)[0]
        u_x = autograd.grad(u.sum(), x, create_graph=True)[0]
        u_xx = autograd.grad(u_x.sum(), x, create_graph=True)[0]
        #pdb.set_trace()
        return u_t + u*u_x - (0.01/np.pi)*u_xx

