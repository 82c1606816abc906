import torch

LAM = 576.923
MU = 384.614


class HyperelasticMaterial():
    ''' 
    Implements a class for a hyperelastic material with
    Lame parameters 
        lambda = E*v/((1+v)*(1-2*v))
        mu     = E/(2*(1+v))
    '''

    def __init__(self, lam=LAM, mu=MU) -> None:
        self.lam = lam
        self.mu = mu

    def set_body_configuration(self, X):
        self.X = X
        if not self.X.requires_grad:
            self.X.requires_grad = True
        

    def deform(self, deformation_function):
        self.u = deformation_function(self.X) - self.X
        self.set_stresses()
        return self.u

    def set_stresses(self):
        x = self.X + self.u
        self.F = torch.autograd.grad(x, self.X, grad_outputs=torch.ones_like(x),
                                     retain_graph=True)[0]
        self.C = torch.transpose(self.F, -2, -1).bmm(self.F)
        self.I3 = torch.linalg.det(self.C)
        self.J = torch.sqrt(self.I3)
        return self
