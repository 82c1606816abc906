"""Ground truth for pt-repo-stylegan2-ada-grid-sample-gradfix-version-fallback: the snippet with enabled = True (as
training_loop.py sets it) on the installed PyTorch (1.13): grid_sample() falls back to F.grid_sample, and an R1-style
penalty on a create_graph input gradient through it raises. The fallback is what the version check chose."""
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-stylegan2-ada-grid-sample-gradfix-version-fallback")
def _():
    ns = gt.exec_snippet(__file__, {})
    ns["enabled"] = True
    ns["grid_sample"].__globals__["enabled"] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        custom = ns["_should_use_custom_op"]()
    torch.manual_seed(0)
    img = torch.rand(2, 3, 8, 8, dtype=torch.float64, requires_grad=True)
    theta = torch.tensor([[[0.9, 0.1, 0.05], [-0.1, 0.9, 0.0]]], dtype=torch.float64).expand(2, 2, 3)
    grid = torch.nn.functional.affine_grid(theta, img.shape, align_corners=False)

    def r1():
        logits = torch.tanh(ns["grid_sample"](img, grid)).sum()
        g = torch.autograd.grad(logits, img, create_graph=True)[0]
        g.pow(2).sum().backward()

    err = gt.raises(r1)
    return err is not None and "grid_sampler_2d_backward" in err, f"PyTorch {torch.__version__}: custom op used: {custom}; R1 raised {err}"


gt.main()
