def compute_jacobian(inp, out):
    u = out[:, 0]
    v = out[:,1]
    w = out[:,2]
    grad_outputs = torch.ones_like(u)
    grad_u = torch.autograd.grad(u, [inp], grad_outputs=grad_outputs, create_graph=True)[0]
    grad_v = torch.autograd.grad(v, [inp], grad_outputs=grad_outputs, create_graph=True)[0]
    grad_w = torch.autograd.grad(w, [inp], grad_outputs=grad_outputs, create_graph=True)[0]
    return torch.cat((grad_u, grad_v, grad_w), dim=-1).reshape(-1, 3,3)
