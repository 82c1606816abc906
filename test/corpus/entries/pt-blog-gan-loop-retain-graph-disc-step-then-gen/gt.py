import copy
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-blog-gan-loop-retain-graph-disc-step-then-gen"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    z_dim = 8
    gen = nn.Sequential(nn.Linear(z_dim, 32), nn.ReLU(), nn.Linear(32, 784), nn.Tanh())
    disc = nn.Sequential(nn.Linear(784, 32), nn.LeakyReLU(0.1), nn.Linear(32, 1), nn.Sigmoid())
    opt_disc = torch.optim.Adam(disc.parameters(), lr=3e-4)
    opt_gen = torch.optim.Adam(gen.parameters(), lr=3e-4)
    loader = [(torch.rand(16, 1, 28, 28), None)]
    # Capture the generator's gradient just before opt_gen.step() by wrapping the step.
    seen = {}
    real_step = opt_gen.step

    def step_and_record(*a, **k):
        seen["grads"] = [p.grad.clone() for p in gen.parameters()]
        seen["disc_after"] = copy.deepcopy(disc)
        seen["gen_before"] = copy.deepcopy(gen)
        return real_step(*a, **k)

    opt_gen.step = step_and_record
    noise_state = torch.get_rng_state()
    names = {"nn": nn, "torch": torch, "num_epochs": 1, "loader": loader, "device": "cpu", "z_dim": z_dim,
             "gen": gen, "disc": disc, "opt_disc": opt_disc, "opt_gen": opt_gen}
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    if err is not None:
        return True, f"quoted loop raised {err}"
    # Reference: gradient of lossG alone, with the same noise, the updated discriminator, the generator before its step.
    torch.set_rng_state(noise_state)
    noise = torch.randn(16, z_dim)
    g_ref, d_ref = seen["gen_before"], seen["disc_after"]
    out = d_ref(g_ref(noise)).view(-1)
    loss = nn.BCELoss()(out, torch.ones_like(out))
    ref = torch.autograd.grad(loss, list(g_ref.parameters()))
    err_rel = max(gt.rel_err(a, b) for a, b in zip(seen["grads"], ref))
    return err_rel > 1e-5, f"no error; generator grad vs lossG-only reference: rel err {err_rel:.2e}"


gt.main()
