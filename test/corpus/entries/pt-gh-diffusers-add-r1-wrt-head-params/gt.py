"""Ground truth for pt-gh-diffusers-add-r1-wrt-head-params: the snippet (the PR's discriminator step,
dedented) runs with a small stand-in discriminator: a frozen feature extractor and two trainable
heads on its features, as in ADD. The 'R1' term differentiates the real loss with respect to the
heads' parameters; R1 is the gradient with respect to the discriminator's input (here the head
features). Measured: the snippet's regularizer equals the L1 norm of the head parameter gradients,
and differs from the same norm of the gradient with respect to the head inputs."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Disc(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Flatten(), nn.Linear(48, 16), nn.Tanh()).requires_grad_(False)
        self.heads = nn.ModuleDict({"0": nn.Sequential(nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 1)),
                                    "1": nn.Sequential(nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 1))})
        self.last_features = None

    def forward(self, x, text, image):
        f = self.features(x)
        if self.last_features is None:
            f = f.requires_grad_(True)
            self.last_features = f
        logits = torch.cat([h(f) for h in self.heads.values()], 1)
        return types.SimpleNamespace(logits=logits)


@gt.case("pt-gh-diffusers-add-r1-wrt-head-params")
def _():
    torch.manual_seed(0)
    D = Disc()
    x_real, x_fake = torch.randn(4, 3, 4, 4), torch.randn(4, 3, 4, 4)
    names = {"discriminator": D, "pixel_values": x_real, "student_gen_image": x_fake, "text_embedding": None,
             "image_embedding": None, "torch": torch, "F": F, "args": types.SimpleNamespace(discriminator_r1_strength=1e-5),
             "accelerator": types.SimpleNamespace(backward=lambda loss, retain_graph=False: loss.backward(retain_graph=retain_graph))}
    ns = gt.exec_snippet(__file__, names)
    reg = float(ns["d_r1_regularizer"])
    loss = ns["d_adv_loss_real"]
    params = [p for h in D.heads.values() for p in h.parameters()]
    param_l1 = float(sum(g.abs().sum() for g in torch.autograd.grad(loss, params, retain_graph=True)))
    input_l1 = float(torch.autograd.grad(loss, D.last_features, retain_graph=True)[0].abs().sum())
    same_as_params = abs(reg - param_l1) <= 1e-5 * param_l1
    differs = abs(reg - input_l1) > 0.01 * input_l1
    return same_as_params and differs, (f"snippet's regularizer {gt.fmt(reg)} = L1 of head parameter gradients {gt.fmt(param_l1)}; "
                                        f"L1 of the gradient w.r.t. the head inputs {gt.fmt(input_l1)}")


gt.main()
