import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-git-smoothinv-diffusion-denoise-under-no-grad"


class _Diffusion:
    """Stand-in for guided_diffusion's GaussianDiffusion: q_sample adds scaled noise, p_sample runs the
    denoiser once and returns its prediction (the quoted code only calls these two)."""

    def q_sample(self, x_start, t, noise):
        return 0.9 * x_start + 0.1 * noise

    def p_sample(self, model, x, t, clip_denoised=True):
        out = model(x)
        return {"sample": out, "pred_xstart": out}


@gt.case(CASE)
def _():
    # guided_diffusion is not installed here: its import is stubbed, and the model object is built without
    # __init__ (which loads a 256x256 checkpoint on CUDA), with a small conv denoiser and classifier.
    # .cuda() calls are made no-ops (CPU only). The attack loop is the repository's SmoothInv.synthesize.
    sd = types.ModuleType("guided_diffusion.script_util")
    for name in ("NUM_CLASSES", "model_and_diffusion_defaults", "create_model_and_diffusion", "args_to_dict"):
        setattr(sd, name, None)
    sys.modules["guided_diffusion"] = types.ModuleType("guided_diffusion")
    sys.modules["guided_diffusion.script_util"] = sd
    torch.Tensor.cuda = lambda self, *a, **k: self
    drm = gt.exec_snippet(__file__)
    attack = gt.exec_snippet(__file__, snippet=os.path.join("workspace", "smoothinv.py"))
    torch.manual_seed(0)
    m = drm["DiffusionRobustModel"].__new__(drm["DiffusionRobustModel"])
    nn.Module.__init__(m)
    m.model = nn.Conv2d(3, 3, 3, padding=1)
    m.diffusion = _Diffusion()
    m.classifier = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 4))
    m.dataset, m.no_diffusion, m.num_noise_vec, m.sigma, m.t = "trojai", False, 2, 0.25, 1
    inputs = torch.rand(1, 3, 8, 8)
    labels = torch.tensor([2])
    inv = attack["SmoothInv"](max_steps=2, step_size=0.1, max_norm=1.0, device=torch.device("cpu"))
    err = gt.raises(lambda: inv.synthesize(m, inputs, labels))
    if err is not None:
        return True, f"synthesize raised {err}"
    return False, "synthesize ran; delta received a gradient through the denoiser"


gt.main()
