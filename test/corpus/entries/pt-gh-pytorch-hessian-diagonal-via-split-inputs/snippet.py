import torch
N = 5
f = lambda x: (x**2).sum()
x = torch.randn(N, requires_grad=True)
x_splitted = x.split(1, -1)
x = torch.cat(x_splitted)
y = f(x)
df_dx = torch.autograd.grad(y.sum(), x, create_graph=True)[0]

d2f_d2x = []
for g_i, x_i in zip(df_dx.split(1, -1), x_splitted):
    d2f_d2x.append(torch.autograd.grad(g_i, x_i, retain_graph=True))
d2f_d2x
