gradients = self.sdf_gradient(sdf,p)
def sdf_gradient(self,sdf,x):
    x.requires_grad_(True)
    d_output = torch.ones_like(sdf, requires_grad=False)
    gradients = torch.autograd.grad(
    outputs=sdf,inputs=x,grad_outputs=d_output,create_graph=True,
    retain_graph=True,only_inputs=True)[0]
    return gradients
