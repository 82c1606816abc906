import os, sys, copy, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn.functional as F

CASE = "pt-gh-bolts-byol-target-under-no-grad"


class SiameseArm(torch.nn.Module):
    """Encoder y, projector z, predictor h, as Lightning Bolts' BYOL SiameseArm returns them."""

    def __init__(self):
        super().__init__()
        self.encoder = torch.nn.Linear(6, 8)
        self.projector = torch.nn.Linear(8, 4)
        self.predictor = torch.nn.Linear(4, 4)

    def forward(self, x):
        y = torch.tanh(self.encoder(x))
        z = self.projector(y)
        return y, z, self.predictor(z)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    online = SiameseArm()
    target = copy.deepcopy(online)
    me = types.SimpleNamespace(online_network=online, target_network=target)
    ns = gt.exec_snippet(__file__, {"self": me, "torch": torch, "F": F,
                                    "img_1": torch.randn(16, 6), "img_2": torch.randn(16, 6)})
    (ns["loss_a"] + ns["loss_b"]).backward()
    online_g = gt.norm_of([p.grad for p in online.parameters() if p.grad is not None])
    target_g = [p for p in target.parameters() if p.grad is not None]
    misbehaves = bool(target_g) or online_g == 0.0 or ns["z2"].requires_grad
    return misbehaves, (f"online network gradient norm {online_g:.3g}; target parameters with a gradient: {len(target_g)}; "
                        f"z2.requires_grad={ns['z2'].requires_grad} (no_grad already stops the target branch)")


gt.main()
