import torch
import torch.nn as nn

class PhysicsNN(nn.Module):
    def __init__(self):
        super(PhysicsNN, self).__init__()
        # Input layer
        self.linear_in = nn.Linear(1, 32)
        # Output layer
        self.linear_out = nn.Linear(32, 1)
        # Hidden layers
        self.layers = nn.ModuleList(
            [nn.Linear(32, 32) for i in range(2)]
        )
        # Activation function
        self.act = nn.Tanh()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.linear_in(x)
        x = self.act(x)
        for layer in self.layers:
            x = self.act(layer(x))
        x = self.linear_out(x)
        return x

def derivative(model: PhysicsNN, x_f: torch.Tensor, order: int = 1) -> torch.Tensor:
    """
    This function calculates the derivative of the model at x_f
    """
    dy = model(x_f)
    for i in range(order):
        dy = torch.autograd.grad(
            dy, x_f, grad_outputs = torch.ones_like(x_f), create_graph=True, retain_graph=True
        )[0]
    return dy
          
def u_function(model: PhysicsNN, x: torch.Tensor) -> torch.Tensor:
    """
    This function evaluates the model on the input x
    """
    return model(x)

def f(model: PhysicsNN, x_f: torch.Tensor, m: float, miu: float, k: float) -> torch.Tensor:
    """
    This function evaluates the physics governing the model on the input x_f
    """
    u = u_function(model, x_f)
    dudx = derivative(model, x_f, order = 1)
    d2udx2 = derivative(model, x_f, order = 2)
    f = d2udx2 + miu*dudx + k*u
    return f
