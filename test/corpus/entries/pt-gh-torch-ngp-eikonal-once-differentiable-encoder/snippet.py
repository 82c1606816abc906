gradient, = torch.autograd.grad(sdf, [xyz], grad_outputs=grad_outputs, create_graph=True)
loss = torch.abs(gradient.norm(dim=-1) - 1)
