import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-torchdiffeq-event-fn-grad"


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
    return err is not None and "does not require grad" in err, f"rhs as event_fn under no_grad: {err}"


gt.main()
