import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-wolf-affine-coupling-inplace-chunk-view"


@gt.case(CASE)
def _():
    # `overrides` is a decorator-only dependency; an identity stand-in keeps the quoted class as written.
    sys.modules.setdefault("overrides", types.SimpleNamespace(overrides=lambda f: f))
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    coupling_net = torch.nn.Conv2d(2, 4, 3, padding=1).double()
    transform = ns["Affine"](dim=1, alpha=0.6)
    z1, z2 = torch.randn(2, 2, 5, 5, dtype=torch.float64), torch.randn(2, 2, 5, 5, dtype=torch.float64)

    def step():
        params = transform.calc_params(coupling_net(z1))
        out, logdet = ns["Affine"].fwd(z2, params)
        (out.pow(2).sum() - logdet.sum()).backward()

    err = gt.raises(step)
    return err is not None, f"coupling forward + backward: {err or 'no error'}"


gt.main()
