import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-so-wgan-gp-xhat-requires-grad-after-detach"


class Critic(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = gt.mlp(4 + 2 + 2, 1)

    def forward(self, x, condition, landmarks):
        return self.net(torch.cat([x, condition, landmarks], dim=1))


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    critic = Critic()
    gen = gt.mlp(3, 4)
    real = torch.randn(6, 4, dtype=torch.float64)
    fake = gen(torch.randn(6, 3, dtype=torch.float64))
    cond, lm = torch.randn(6, 2, dtype=torch.float64), torch.randn(6, 2, dtype=torch.float64)
    me = types.SimpleNamespace(discriminator=critic)
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch, "self": me, "real_data": real,
                                                        "fake_data": fake, "condition": cond, "landmarks": lm}))
    if err is not None:
        return True, f"snippet raised {err}"
    ns = gt.exec_snippet(__file__, {"torch": torch, "self": me, "real_data": real, "fake_data": fake,
                                    "condition": cond, "landmarks": lm})
    g, x_hat = ns["grad"], ns["x_hat"].detach()

    def f(xn):
        with torch.no_grad():
            return critic(torch.as_tensor(xn), cond, lm).numpy().reshape(-1)

    fd = gt.fd_gradient(f, x_hat.numpy())
    e = gt.rel_err(g, fd)
    critic.zero_grad()
    ((g.norm(2, dim=1) - 1) ** 2).mean().backward()
    gnorm = gt.norm_of(gt.param_grads(critic))
    gen_grad = gt.norm_of(gt.param_grads(gen))
    bad = not (e < 1e-5 and gnorm > 0 and gen_grad == 0)
    return bad, f"grad vs FD rel err {gt.fmt(e)}; penalty grad on critic {gt.fmt(gnorm)}, on generator {gt.fmt(gen_grad)}"


gt.main()
