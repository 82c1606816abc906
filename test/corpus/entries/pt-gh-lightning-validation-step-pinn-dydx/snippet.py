def validation_step(self, 
    batch: torch.Tensor, 
    batch_idx: int, 
    set_grad_enabled=True
) -> dict[str, torch.Tensor]:
    
    x, t = batch
    
    u_hat = self.forward(x, t)
    
    dydx = torch.autograd.grad(
              u_hat, 
              x,
              grad_outputs=torch.ones_like(u_hat),
              create_graph=True
          )
    
    physics_loss = torch.sin(x) - dydx
    
    return {"loss": physics_loss}
