"""Ground truth for pt-gh-gan-geometry-hvp-grad-of-activation-map: the snippet's lines with a small generator
(visualize), an identity preprocess and an objective returning a channel's activation map for each sample, as a
unit of a convolutional layer does; grad of that map without grad_outputs raises, and its mean (the reporter's fix)
does not."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


@gt.case("pt-gh-gan-geometry-hvp-grad-of-activation-map")
def _():
    torch.manual_seed(0)
    gen = nn.Sequential(nn.Linear(8, 3 * 6 * 6), nn.Tanh(), nn.Unflatten(1, (3, 6, 6)))
    conv = nn.Conv2d(3, 4, 3)
    this = types.SimpleNamespace(
        model=types.SimpleNamespace(visualize=gen),
        preprocess=lambda x: x,
        objective=lambda x: conv(x)[:, 1],
    )
    perturb_vecs = torch.randn(2, 8, requires_grad=True)
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"self": this, "perturb_vecs": perturb_vecs, "torch": torch}))
    return err is not None and "scalar outputs" in err, f"raised {err}"


gt.main()
