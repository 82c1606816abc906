import numpy as np
import torch
import torch.nn as nn

dtype  = torch.float64
device = 'cpu'
torch.set_default_dtype(dtype)

T_L = 900     # K
T_R = 300     # K

h = 300       # W/(m^2K)
λ = 237       # W/(mK)
r = 0.01      # m
L = 0.5       # m
T_infty = 700 # K

k = (2.0 * h) / (λ * r)


def baseline_solution(x):

    return T_L * (1.0 - x / L) + T_R * (x / L)


class SolutionNetwork(nn.Module):

    def __init__(self,
                 input_dimension=1,
                 hidden_dimension=8,
                 output_dimension=1,
                 network_depth=4):

        super().__init__()

        layers = []

        # The first (input) layer:
        layers.append(nn.Linear(input_dimension, hidden_dimension))

        # Hidden layers:
        for _ in range(network_depth - 1):
            layers.append(nn.ReLU())
            layers.append(nn.Linear(hidden_dimension, hidden_dimension))

        # The final (output) layer:
        layers.append(nn.ReLU())
        layers.append(nn.Linear(hidden_dimension, output_dimension))

        # Define a sequential model:
        self.PDE_solution_net = nn.Sequential(*layers)

        # Initialize all trainable parameters with the Xavier initialization:
        for module in self.PDE_solution_net:

            if isinstance(module, nn.Linear):
                nn.init.xavier_normal_(module.weight)
                nn.init.zeros_(module.bias)

    def forward(self, x):

        return self.PDE_solution_net(x)


solution_network = SolutionNetwork(input_dimension=1,
                                   hidden_dimension=16,
                                   output_dimension=1,
                                   network_depth=8).to(device).to(dtype)


class PINN(nn.Module):

    def __init__(self,
                 solution_network):

        super().__init__()

        self.solution_network = solution_network

    def forward(self, x):

        PINN_correction = self.solution_network(x)

        output = baseline_solution(x) + x * (L - x) * PINN_correction

        return output


PINN_model = PINN(solution_network).to(device).to(dtype)


def dTdx(T, x):

    return torch.autograd.grad(T, x, torch.ones_like(T), create_graph=True)[0]


def d2Tdx2(T, x):

    return dTdx(dTdx(T, x), x)


def sample_x_grid(n_points):

    x = torch.rand(n_points, 1, dtype=dtype, device=device) * L
    x.requires_grad_(True)

    return x


n_points_for_random_sample = 256

epochs = 5000
initial_learning_rate = 0.001
final_learning_rate = 0.0001

mse = nn.MSELoss()

optimizer = torch.optim.RMSprop(PINN_model.parameters(), lr=initial_learning_rate)

scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer,
                                                       T_max=epochs,
                                                       eta_min=final_learning_rate)

loss_across_epochs = []

for i in range(1, epochs + 1):

    optimizer.zero_grad()

    # We sample some points on the x-grid:
    x_grid_random = sample_x_grid(n_points_for_random_sample)

    # Current approximation to T(x):
    T_pred = PINN_model(x_grid_random)

    # Second derivative of T(x):
    T_xx = d2Tdx2(T_pred, x_grid_random)

    # Now we compute the residual form of the ODE, in an ideal case this should be exactly zero:
    residual = T_xx - k * (T_pred - T_infty)

    # We compare this residual with a tensor of zeros:
    loss = mse(residual, torch.zeros_like(residual))

    # Backpropagate errors:
    loss.backward()
    optimizer.step()
    scheduler.step()

    loss_across_epochs.append(loss.item())
