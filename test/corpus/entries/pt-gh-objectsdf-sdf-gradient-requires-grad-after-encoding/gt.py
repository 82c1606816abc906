import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-objectsdf-sdf-gradient-requires-grad-after-encoding"


@gt.case(CASE)
def _():
    # The snippet's sdf_gradient, called as the asker calls it: the points p are encoded (a hash grid in the
    # issue; here a linear feature map stands in), the SDF is predicted from the encoding, and only then does
    # sdf_gradient mark p as requiring grad.
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        src = fh.read()
    call, definition = src.split("\n", 1)
    ns = {"torch": torch}
    exec(compile(definition, "snippet.py", "exec"), ns)
    torch.manual_seed(0)
    encoding = torch.nn.Linear(3, 16).double()
    mlp = gt.mlp(16, 1)
    p = torch.rand(32, 3, dtype=torch.float64)
    p_en = encoding(p)
    sdf = mlp(p_en)

    class Self:
        sdf_gradient = ns["sdf_gradient"]

    err = gt.raises(lambda: exec(compile(call, "snippet.py", "exec"), {"self": Self(), "sdf": sdf, "p": p}))
    if err is not None:
        return True, f"sdf_gradient(sdf, p) raised {err}"
    return False, "sdf_gradient(sdf, p) returned a gradient"


gt.main()
