def derivative(x, Net, func, order):
    
    w = Net(x)*func(x).view(-1,1)
    
    if order == '0':
        return w
    
    else:
        dw_xy = torch.autograd.grad(w, x, torch.ones_like(w), 
                                    retain_graph=True, create_graph=True, allow_unused=True)
        dw_x = dw_xy[0][:,0].view(-1,1)
        dw_y = dw_xy[0][:,1].view(-1,1)
        
        if order == '1':
            return w, dw_x, dw_y
    
        else:
            dw_xxy = torch.autograd.grad(dw_x, x, torch.ones_like(dw_x), 
                                         retain_graph=True, create_graph=True,allow_unused=True)
            dw_xx = dw_xxy[0][:,0].view(-1,1)
            dw_xy = dw_xxy[0][:,1].view(-1,1)
            dw_yy = torch.autograd.grad(dw_y, x, torch.ones_like(dw_y), retain_graph=True, 
                                        create_graph=True,allow_unused=True)[0][:,1].view(-1,1)
            return w, dw_x, dw_y, dw_xx, dw_yy, dw_xy


def BCx(x, Net_u, func_u, Net_v, func_v):
    
    _, du_x, du_y = derivative(x, Net_u, func_u, '1')
    _, dv_x, dv_y = derivative(x, Net_v, func_v, '1')
    
    du_y, dv_x = du_y*a/b, dv_x*b/a
    
    sig_x = (du_x + mu*dv_y)*E/(1 - mu**2)
    sig_y = (dv_y + mu*du_x)*E/(1 - mu**2)
    sig_xy = (dv_x + du_y)*E/(1 + mu)/2.
    
    sig11 = q * torch.cos(3.1415/2*x[:,1]).view(-1,1)
    
    return torch.mean(sig_xy**2) + torch.mean((sig_x-sig11)**2) #+ torch.mean(sig_y**2)
