import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-torchdiffeq-event-fn-grad-enable-grad"


def odeint_event(func, y0, t0, event_fn):
    # torchdiffeq evaluates the event function with recording off
    with torch.no_grad():
        event_fn(t0, y0)
    return t0, y0


@gt.case(CASE)
def _():
    mod = types.ModuleType("torchdiffeq")
    mod.odeint_event = odeint_event
    sys.modules["torchdiffeq"] = mod
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    # the same derivative the fixed rhs takes, under no_grad + enable_grad, against 2x
    x = torch.tensor([-0.0881, 0.4923], requires_grad=True)
    with torch.no_grad():
        with torch.enable_grad():
            g = torch.autograd.grad((x ** 2).sum(), x, create_graph=True)[0]
    rel = gt.rel_err(g, 2 * x.detach())
    return err is not None or rel > 1e-12, f"snippet under the solver's no_grad raised {err}; g vs 2x rel. err {rel:.2g}"


gt.main()
