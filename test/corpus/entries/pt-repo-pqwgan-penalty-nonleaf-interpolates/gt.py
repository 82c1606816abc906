import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pqwgan-penalty-nonleaf-interpolates"


class Critic(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Flatten(), gt.mlp(16, 1, width=8))

    def forward(self, x):
        return self.net(x)


class Generator(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = gt.mlp(3, 16, width=8)

    def forward(self, z):
        return torch.tanh(self.net(z)).view(-1, 1, 4, 4)


@gt.case(CASE)
def _():
    torch.set_default_dtype(torch.float64)
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    critic, generator = Critic(), Generator()
    real = torch.rand(6, 1, 4, 4, dtype=torch.float64)
    z = torch.rand(6, 3, dtype=torch.float64)
    fake = generator(z)
    # penalty as quoted vs a reference with a detached, requires_grad interpolation at the same epsilon
    torch.manual_seed(5)
    gp = ns["compute_gradient_penalty"](critic, real, fake, "cpu")
    g_quoted = [t if t is not None else torch.zeros_like(p) for t, p in zip(torch.autograd.grad(gp, list(critic.parameters()), allow_unused=True), critic.parameters())]
    torch.manual_seed(5)
    eps = torch.rand(6, 1, 1, 1).repeat(1, 1, 4, 4).double()
    inter = (eps * real + (1 - eps) * fake).detach().requires_grad_(True)
    s = critic(inter)
    g = torch.autograd.grad(s, inter, torch.ones_like(s), create_graph=True)[0].view(6, -1)
    gp_ref = torch.mean((1. - torch.sqrt(1e-8 + torch.sum(g ** 2, dim=1))) ** 2)
    g_ref = [t if t is not None else torch.zeros_like(p) for t, p in zip(torch.autograd.grad(gp_ref, list(critic.parameters()), allow_unused=True), critic.parameters())]
    err_pen = max(gt.rel_err(a, b) for a, b in zip(g_quoted, g_ref))
    # the training step: the generator's update uses g_loss's gradient only
    import copy
    gen_before = copy.deepcopy(generator)
    opt_c = torch.optim.SGD(critic.parameters(), lr=0.01)
    opt_g = torch.optim.SGD(generator.parameters(), lr=0.01)
    torch.manual_seed(7)
    ns["train_step"](critic, generator, opt_c, opt_g, real, 6, 3, 10.0, 5, 0, "cpu")
    got = gt.param_grads(generator)
    torch.manual_seed(7)
    z2 = torch.rand(6, 3, dtype=torch.float64)
    # g_loss's gradient alone: the critic after its step, the generator before its own step
    expected = torch.autograd.grad(-torch.mean(critic(gen_before(z2))), list(gen_before.parameters()))
    err_gen = max(gt.rel_err(a, b) for a, b in zip(got, expected))
    bad = err_pen > 1e-10 or err_gen > 1e-10
    return bad, f"penalty grad vs leaf reference {gt.fmt(err_pen)}; generator grad vs g_loss alone {gt.fmt(err_gen)}"


gt.main()
