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
