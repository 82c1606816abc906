def gradient_penalty(self, x, g, lamda):
    assert x.size() == g.size()
    a = torch.rand(x.size(0), 1)
    a = a.cuda() if self._is_on_cuda() else a
    a = a\
        .expand(x.size(0), x.nelement()//x.size(0))\
        .contiguous()\
        .view(
            x.size(0),
            self.image_channel_size,
            self.image_size,
            self.image_size
        )
    interpolated = Variable(a*x.data + (1-a)*g.data, requires_grad=True)
    c = self.critic(interpolated)
    gradients = autograd.grad(
        c, interpolated, grad_outputs=(
            torch.ones(c.size()).cuda() if self._is_on_cuda() else
            torch.ones(c.size())
        ),
        create_graph=True,
        retain_graph=True,
    )[0]
    return lamda * ((1-(gradients+EPSILON).norm(2, dim=1))**2).mean()
