"""Ground truth for pt-git-wgan-gp-toy-interpolates-no-requires-grad: the snippet's
calc_gradient_penalty with a small critic on 2-D points (the toy data set's shape). As written it
raises; with only grad_outputs corrected (a copy of the text with torch.ones(BATCH_SIZE, 1)) it still
raises, because the Variable does not require grad."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-wgan-gp-toy-interpolates-no-requires-grad"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    names = {"BATCH_SIZE": 8, "use_cuda": False, "LAMBDA": 0.1}
    ns = gt.exec_snippet(__file__, dict(names))
    netD = gt.mlp(2, 1)
    real, fake = torch.randn(8, 2, dtype=torch.float64), torch.randn(8, 2, dtype=torch.float64)
    err = gt.raises(lambda: ns["calc_gradient_penalty"](netD, real, fake))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    text = open(path, encoding="utf-8").read().replace("torch.ones(1)", "torch.ones(BATCH_SIZE, 1)")
    ns2 = dict(names)
    exec(compile(text, path, "exec"), ns2)  # noqa: S102
    err2 = gt.raises(lambda: ns2["calc_gradient_penalty"](netD, real, fake))
    return err is not None and err2 is not None, f"as written: {err}; with grad_outputs fixed: {err2}"


gt.main()
