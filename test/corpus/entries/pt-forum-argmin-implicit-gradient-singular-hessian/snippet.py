import torch
_ = torch.manual_seed(123)
torch.set_default_dtype(torch.float64)
print(torch.__version__)
f = torch.nn.Sequential ( # network f, with fixed randomly initialized parameters (theta)
torch.nn.Linear (3, 2),
torch.nn.Tanh(),
torch.nn.Linear (2, 1, bias = False)
)
x = torch.tensor ([0.0, 0.0, 0.0], requires_grad = True) # vary x to minimize f(x)
# use pytorch optimizer to find argmin of f(x)
opt = torch.optim.Adam ([x], lr = 0.5)
for i in range (350):
    l = f (x)
    opt.zero_grad()
    l.backward()
    opt.step()
# x is now x_star, the argmin of f(x) (for fixed theta)
x_star = x.detach().clone() # save a copy for later
print ('x_star:', x_star)
print ('l:', l.item())
# compute second partials, d^2_f / d_x^2 an d^2_f / d_x d_theta, evaluated at x = x_star
x.grad = None
l = f (x)
d_x = torch.autograd.grad (l, x, retain_graph=True, create_graph=True)[0] # first derivative of f with respect to x
print ('d_x:', d_x)
d2_x = torch.stack([torch.autograd.grad (d_x[ind], x, retain_graph=True, create_graph=True)[0] for ind in range(3)])
print ('d2_x:', d2_x)
# only look at the first fc layer's weight
theta = list(f.parameters())[0]
d_f_d_x_d_th = torch.stack([torch.autograd.grad(d_x[ind], theta, retain_graph=True, create_graph=True)[0] for ind in range(3)]).reshape(*x.shape,*theta.shape) # mixed second partials
print ('d_f_d_x_d_th:', d_f_d_x_d_th)
# use the IFT here
d_x_d_th = - torch.matmul(torch.linalg.inv(d2_x), d_f_d_x_d_th.reshape(3,-1))
print('d_x_d_th:', d_x_d_th)
