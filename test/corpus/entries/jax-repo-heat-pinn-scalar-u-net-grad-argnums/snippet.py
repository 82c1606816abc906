import jax
import jax.numpy as jnp
from jax import grad, vmap, jit, random


def create_heat_equation_pinn():
    """Solve 1D heat equation: ∂u/∂t = α ∂²u/∂x²"""
    
    # Initialize PINN for heat equation
    # Input: [x, t], Output: [u(x,t)]
    init_params, forward = create_pinn_model([2, 64, 64, 64, 1])
    
    def pinn_forward_with_derivatives(params, x, t):
        """Forward pass with automatic differentiation"""
        
        def u_net(x, t):
            """Network approximation of u(x,t)"""
            inputs = jnp.array([x, t])
            return forward(params, inputs.reshape(1, -1))[0, 0]
        
        # First derivatives
        u_t = grad(u_net, argnums=1)(x, t)  # ∂u/∂t
        u_x = grad(u_net, argnums=0)(x, t)  # ∂u/∂x
        
        # Second derivative
        u_xx = grad(grad(u_net, argnums=0), argnums=0)(x, t)  # ∂²u/∂x²
        
        u_val = u_net(x, t)
        
        return u_val, u_t, u_x, u_xx
    
    def heat_pde_residual(params, x, t, alpha=0.01):
        """Compute PDE residual: ∂u/∂t - α ∂²u/∂x²"""
        u_val, u_t, u_x, u_xx = pinn_forward_with_derivatives(params, x, t)
        residual = u_t - alpha * u_xx
        return residual
    
    ...
    
    def pinn_loss(params, x_pde, t_pde, x_bc, t_bc, x_ic, 
                  lambda_pde=1.0, lambda_bc=1.0, lambda_ic=1.0):
        """Total PINN loss combining PDE, boundary, and initial conditions"""
        
        # PDE residual loss
        pde_residuals = vmap(lambda x, t: heat_pde_residual(params, x, t))(x_pde, t_pde)
        pde_loss = jnp.mean(pde_residuals**2)
        ...
    
    return init_params, pinn_forward_with_derivatives, pinn_loss, heat_pde_residual
