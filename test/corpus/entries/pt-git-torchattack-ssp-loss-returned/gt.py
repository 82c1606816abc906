import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-git-torchattack-ssp-loss-returned"


def _stub_modules():
    """Stand-ins for the imports: torchattack's Attack base (its __init__ as in the repository), AttackModel,
    and torchvision's vgg16 (a small seeded conv feature stack instead of downloading pretrained weights)."""
    class AttackModel:
        pass

    class Attack:
        def __init__(self, model, normalize, device):
            self.model = model
            self.device = device if device else torch.device("cpu")
            self.normalize = normalize if normalize else lambda x: x

        def __call__(self, *args, **kwds):
            return self.forward(*args, **kwds)

    def vgg16(weights=None):
        torch.manual_seed(0)
        feats = [nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU()] * 4
        return types.SimpleNamespace(features=nn.Sequential(*feats))

    pkg, att, am = types.ModuleType("torchattack"), types.ModuleType("torchattack._attack"), types.ModuleType("torchattack.attack_model")
    att.Attack, am.AttackModel = Attack, AttackModel
    tv = types.ModuleType("torchvision")
    tv.models = types.SimpleNamespace(vgg16=vgg16)
    sys.modules.update({"torchattack": pkg, "torchattack._attack": att, "torchattack.attack_model": am, "torchvision": tv})


@gt.case(CASE)
def _():
    _stub_modules()
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(1)
    x = torch.rand(2, 3, 16, 16)
    attack = ns["SSP"](nn.Identity(), eps=8 / 255, steps=3, ssp_layer=4, device=torch.device("cpu"))
    out = {}
    err = gt.raises(lambda: out.setdefault("xadv", attack(x, None)))
    if err is not None:
        return True, f"SSP.forward raised {err}"
    # The attack ascends the perceptual loss: its gradient with respect to the perturbation must reach delta.
    d = (out["xadv"] - x).detach().requires_grad_(True)
    g = torch.autograd.grad(attack.perceptual_criteria(x, x + d), d)[0]
    gnorm = float(g.norm())
    return gnorm == 0.0, f"3 SSP steps ran; |d loss / d delta| = {gnorm:.3g}"


gt.main()
