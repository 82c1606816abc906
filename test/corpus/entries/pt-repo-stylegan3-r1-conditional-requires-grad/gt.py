import contextlib
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-stylegan3-r1-conditional-requires-grad"

# The repository's torch_utils (statistics logging, fused-op switches) is not installable here: stand-ins that log
# nothing and switch nothing. The loss code itself runs as written.
tu = types.ModuleType("torch_utils")
ops = types.ModuleType("torch_utils.ops")
stats = types.ModuleType("torch_utils.training_stats")
stats.report = lambda name, value: value
gradfix = types.ModuleType("torch_utils.ops.conv2d_gradfix")
gradfix.no_weight_gradients = lambda disable=True: contextlib.nullcontext()
upfirdn = types.ModuleType("torch_utils.ops.upfirdn2d")
tu.training_stats, tu.ops, ops.conv2d_gradfix, ops.upfirdn2d = stats, ops, gradfix, upfirdn
sys.modules.update({"torch_utils": tu, "torch_utils.ops": ops, "torch_utils.training_stats": stats,
                    "torch_utils.ops.conv2d_gradfix": gradfix, "torch_utils.ops.upfirdn2d": upfirdn})


class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.map = nn.Linear(4, 8)
        self.syn = nn.Linear(8, 2 * 3 * 3)

    def mapping(self, z, c, update_emas=False):
        return torch.tanh(self.map(z)).unsqueeze(1).repeat(1, 2, 1)

    def synthesis(self, ws, update_emas=False):
        return self.syn(ws.mean(1)).view(-1, 2, 3, 3)


class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(18, 8), nn.Tanh(), nn.Linear(8, 1))

    def forward(self, img, c, update_emas=False):
        return self.net(img)


def d_grads(ns, phase, r1_gamma):
    torch.manual_seed(0)
    g, d = G(), D()
    loss = ns["StyleGAN2Loss"]("cpu", g, d, r1_gamma=r1_gamma, pl_weight=2.0)
    real = torch.rand(6, 2, 3, 3, )
    z = torch.randn(6, 4, )
    c = torch.zeros(6, 1, )
    loss.accumulate_gradients(phase, real, c, z, c, 1.0, 0)
    return torch.cat([p.grad.flatten() if p.grad is not None else torch.zeros(p.numel(), dtype=p.dtype) for p in d.parameters()])


@gt.case(CASE)
def _():
    # The snippet's own loss: every phase runs (the real images require grad only in the R1 phases, where the derivative
    # is taken), and R1 changes the critic's gradient (r1_gamma 10 vs 0 in the Dreg phase).
    ns = gt.exec_snippet(__file__)
    errors = []
    for phase in ("Gmain", "Greg", "Gboth", "Dmain", "Dreg", "Dboth"):
        err = gt.raises(lambda: d_grads(ns, phase, 10.0))
        if err:
            errors.append(f"{phase}: {err}")
    r1 = float((d_grads(ns, "Dreg", 10.0) - d_grads(ns, "Dreg", 0.0)).abs().max())
    return bool(errors) or r1 == 0.0, f"errors: {errors or 'none'}; R1's change of the critic's gradient {gt.fmt(r1)}"


gt.main()
