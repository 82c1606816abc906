import torch.autograd as autograd
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

def derivatives(xt, out):
    out_xt = autograd.grad(out, xt, torch.ones_like(out).to(device),
                         create_graph=True)[0]
            
    out_xx_tt = autograd.grad(out_xt, xt, 
                              torch.ones_like(out_xt).to(device))[0] 

    out_x = out_xt[:,0].detach().unsqueeze(1)
    out_t = out_xt[:,1].detach().unsqueeze(1)
    out_xx = out_xx_tt[:,0].unsqueeze(1)
    return out_t, out_x, out_xx

def Pt_nu_P_xx(nu, out_t, out_xx):
    t1 = torch.mul(-nu, out_xx)
    return torch.add(t1, out_t)
