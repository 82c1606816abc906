# Track derivatives with respect to input time.
t = t.requires_grad_(True)
# Network prediction u(t).
u = model(t)
# First time derivative from autograd.
du_dt = torch.autograd.grad(u, t, torch.ones_like(u),
                            create_graph=True)[0]
# Second time derivative from autograd.
d2u_dt2 = torch.autograd.grad(du_dt, t, torch.ones_like(du_dt),
                              create_graph=True)[0]
# ODE residual for u'' + 2 zeta omega0 u' + omega0^2 u = 0.
residual = d2u_dt2 + 2 * zeta * omega0 * du_dt + omega0**2 * u
# Physics loss: make the residual small at collocation points.
physics_loss = (residual ** 2).mean()
