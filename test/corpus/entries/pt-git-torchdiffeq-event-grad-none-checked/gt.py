"""Ground truth for pt-git-torchdiffeq-event-grad-none-checked: the snippet's ImplicitFnGradientRerouting (torchdiffeq's odeint_event
gradient) with an event function that depends on the time only (c = t - 1), so the derivative of
the event with respect to the state is unused (None with allow_unused=True). The event time then
does not depend on the state, and the gradient reaching the state must be the incoming one
unchanged (d loss / d state = 1 for loss = sum(state) + t)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-torchdiffeq-event-grad-none-checked"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    cls = ns["ImplicitFnGradientRerouting"]
    event_t = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    state_t = torch.tensor([2.0, 3.0], dtype=torch.float64, requires_grad=True)

    def func(t, y):
        return -y

    def event_fn(t, y):
        return t - 1.0

    def run():
        t_out, s_out = cls.apply(func, event_fn, event_t.clone(), state_t.clone())
        (s_out.sum() + t_out).backward()

    err = gt.raises(run)
    if err is not None:
        return True, f"backward raises {err}"
    ok = state_t.grad is not None and torch.allclose(state_t.grad, torch.ones(2, dtype=torch.float64))
    return not ok, f"d loss / d state = {None if state_t.grad is None else state_t.grad.tolist()} (expected [1, 1])"


gt.main()
