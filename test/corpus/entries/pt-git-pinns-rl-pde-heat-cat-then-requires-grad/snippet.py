import torch
from .pde_base import PDEBase, PDEConfig


class HeatEquation(PDEBase):
    def compute_residual(self, model: torch.nn.Module, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """
        Compute the heat equation residual.
        """
        xt = torch.cat([x, t], dim=1)
        xt.requires_grad_(True)
        
        # Compute derivatives
        u = model(xt)
        u_t = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u),
                                create_graph=True)[0]
        
        # Compute Laplacian based on dimension
        if self.dimension == 1:
            u_xx = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u),
                                     create_graph=True)[0]
            u_xx = torch.autograd.grad(u_xx, x, grad_outputs=torch.ones_like(u_xx),
                                     create_graph=True)[0]
            laplacian = u_xx
        else:
            # For higher dimensions, compute Laplacian as sum of second derivatives
            laplacian = torch.zeros_like(u)
            for dim in range(self.dimension):
                u_xx = torch.autograd.grad(u, x[:, dim:dim+1], grad_outputs=torch.ones_like(u),
                                         create_graph=True)[0]
                u_xx = torch.autograd.grad(u_xx, x[:, dim:dim+1], grad_outputs=torch.ones_like(u_xx),
                                         create_graph=True)[0]
                laplacian += u_xx
        
        return u_t - self.alpha * laplacian
