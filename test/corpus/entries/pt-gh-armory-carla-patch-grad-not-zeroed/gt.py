import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import types
from typing import Optional
import gt, torch


@gt.case("pt-gh-armory-carla-patch-grad-not-zeroed")
def _():
    # Stand-in attack object: a patch leaf pasted into the images and a small detector-like model;
    # _loss is the model's score on the patched images (what the attack ascends).
    ns = gt.exec_snippet(__file__, {"Optional": Optional, "torch": torch})
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Tanh(), torch.nn.Flatten(), torch.nn.Linear(4 * 6 * 6, 1))
    atk = types.SimpleNamespace()
    atk._patch = torch.rand(3, 4, 4, requires_grad=True)
    atk.patch_mask = torch.ones(3, 4, 4)
    atk.learning_rate = 0.1
    atk._optimizer_string = "pgd"
    atk.estimator = types.SimpleNamespace(model=model, clip_values=(0.0, 1.0))

    def _loss(images, target, mask):
        patched = images.clone()
        patched[:, :, 2:6, 2:6] = atk._patch
        return model(patched).sum()

    atk._loss = _loss
    images = torch.rand(2, 8, 8, 3).permute(0, 3, 1, 2)  # channels-first here; shape[-1] != 6
    step = ns["_train_step"]
    step(atk, images, None)
    g1 = atk._patch.grad.clone()
    # the gradient the second step should use: at the updated patch, from scratch
    p = atk._patch.detach().clone().requires_grad_(True)
    patched = images.clone()
    patched[:, :, 2:6, 2:6] = p
    fresh = torch.autograd.grad(model(patched).sum(), p)[0]
    step(atk, images, None)
    used = atk._patch.grad
    err_fresh = gt.rel_err(used, fresh)
    err_sum = gt.rel_err(used, g1 + fresh)
    return err_fresh > 1e-6 and err_sum < 1e-6, (f"patch.grad at the 2nd step vs its own gradient rel. err {gt.fmt(err_fresh)}; "
                                                 f"vs 1st + 2nd gradients {gt.fmt(err_sum)} (accumulated)")


gt.main()
