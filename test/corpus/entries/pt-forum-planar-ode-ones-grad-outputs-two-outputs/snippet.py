dy_dt = torch.autograd.grad(y,t, torch.ones_like(y), create_graph=True)[0]
