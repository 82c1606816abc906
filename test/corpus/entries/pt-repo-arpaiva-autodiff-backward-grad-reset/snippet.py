# base model class to test approaches

class TestNet(nn.Module):
    def __init__(self):
        super().__init__()
        self._layers = [nn.Linear(2, 5),
                        nn.Linear(5, 1)]

    def forward(self, x, t):
        xx = torch.cat([x, t], axis=1)
        h = torch.sigmoid(self._layers[0](xx))
        y = self._layers[1](h)
        return y


xg, tg = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(0, 1, 7))
x = torch.as_tensor(xg.reshape((-1,1))).float().requires_grad_(True)
t = torch.as_tensor(tg.reshape((-1,1))).float().requires_grad_(True)

net = TestNet()
u = net(x, t)
print(u.shape)

# first-order derivatives
ux = autograd.grad(u.sum(), x, create_graph=True)[0]  # du/dx
ut = autograd.grad(u.sum(), t, create_graph=True)[0]  # du/dx
print('du/dx =', ux.T)
print('du/dt =', ut.T)

# first-order derivatives
x.grad = None  # need to "zero-out" gradients on the vars of interest
t.grad = None
u.backward(gradient=torch.ones_like(u), create_graph=True)
print('du/dx =', x.grad.T)
print('du/dt =', t.grad.T)

# second-order derivatives
x.grad = None
ux.backward(gradient=torch.ones_like(ux), create_graph=True)
print('d^2u/dx^2 =', x.grad.T)
