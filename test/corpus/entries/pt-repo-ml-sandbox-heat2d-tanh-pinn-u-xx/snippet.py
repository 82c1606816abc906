import torch
import torch.nn as nn
import torch.optim as optim
import numpy as np
pi = np.pi


class PINN(nn.Module):
    def __init__(self):
        super(PINN, self).__init__()
        self.net = nn.Sequential(
            nn.Linear(3, 50),  # 3 inputs: x, y, t
            nn.Tanh(),
            nn.Linear(50, 50),
            nn.Tanh(),
            nn.Linear(50, 50),
            nn.Tanh(),
            nn.Linear(50, 1)   # 1 output: u
        )

    def forward(self, x, y, t):
        inputs = torch.cat([x, y, t], dim=1)
        return self.net(inputs)


def initial_condition(x, y):
    return torch.sin(pi*x) * torch.sin(2*pi*y)


# Set random seed for reproducibility
torch.manual_seed(1234)

# Define the problem parameters
alpha = 0.05  # Thermal diffusivity


# Create the PINN model
model = PINN()

# Define the optimizer
optimizer = optim.Adam(model.parameters(), lr=0.001)

# Number of training iterations
n_epochs = 1000

# Training loop
for epoch in range(n_epochs):

    optimizer.zero_grad()

    # Evaluate model at random points in domain
    x = torch.rand(1000, 1, requires_grad=True)
    y = torch.rand(1000, 1, requires_grad=True)
    t = torch.rand(1000, 1, requires_grad=True)
    u = model(x, y, t)

    # PDE residual
    u_t = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_x = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_y = torch.autograd.grad(u, y, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, grad_outputs=torch.ones_like(u_x), create_graph=True)[0]
    u_yy = torch.autograd.grad(u_y, y, grad_outputs=torch.ones_like(u_y), create_graph=True)[0]
    pde_residual = u_t - alpha * (u_xx + u_yy)

    # initial condition residual
    x_ic = torch.rand(200, 1)
    y_ic = torch.rand(200, 1)
    t_ic = torch.zeros_like(x_ic)
    u_ic = model(x_ic, y_ic, t_ic)
    ic_residual = u_ic - initial_condition(x_ic, y_ic)

    # boundary condition residual
    x_bc = torch.cat([torch.rand(200, 1),
                      torch.zeros(200, 1),
                      torch.ones(200, 1),
                      torch.rand(200, 1)])
    y_bc = torch.cat([torch.zeros(200, 1),
                      torch.rand(200, 1),
                      torch.rand(200, 1),
                      torch.ones(200, 1)])
    t_bc = torch.rand(800, 1)
    u_bc = model(x_bc, y_bc, t_bc)
    bc_residual = u_bc

    # Compute the total loss
    loss = torch.mean(pde_residual**2) + torch.mean(ic_residual**2) + torch.mean(bc_residual**2)

    loss.backward()
    optimizer.step()
