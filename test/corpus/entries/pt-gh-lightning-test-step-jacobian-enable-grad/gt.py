import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-lightning-test-step-jacobian-enable-grad"


@gt.case(CASE)
def _():
    # Lightning's validation loop of the asker's version used no_grad; its test loop used inference_mode.
    with torch.no_grad(), contextlib.redirect_stdout(io.StringIO()):
        val = gt.exec_snippet(__file__, {"torch": torch})
    jac = torch.stack(val["jacobian_rows"])
    right = gt.rel_err(jac, torch.diag(2 * val["x"].detach())) < 1e-6
    with torch.inference_mode(), contextlib.redirect_stdout(io.StringIO()):
        err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch}))
    return err is not None, f"under no_grad the Jacobian is diag(2x): {right}; under inference_mode it raised {err}"


gt.main()
