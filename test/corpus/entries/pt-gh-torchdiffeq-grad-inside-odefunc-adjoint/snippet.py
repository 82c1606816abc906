class ODEFunc(nn.Module):
    def __init__(self):
        super(ODEFunc, self).__init__()
        self.net = nn.Sequential(nn.Linear(2, 50), nn.Tanh(), nn.Linear(50, 2))

    def my_func(self, x):
        y = self.net(x)
        return y

    def forward(self, t, x):
        y = self.my_func(x)
        dy = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y), create_graph=True) 
        return dy

func = ODEFunc().to(device)

for itr in range(niters):
        optimizer.zero_grad()
        batch_x0, batch_t = get_batch()
        odeint_adjoint(func, batch_x0, batch_t).to(device)
