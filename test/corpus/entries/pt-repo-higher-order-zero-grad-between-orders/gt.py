import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-repo-higher-order-zero-grad-between-orders")
def _():
    seen = []

    def tracking_print(*args, **kwargs):
        # the snippet prints after each order: record x.grad as it is at that moment
        x = sys._getframe(1).f_globals.get("x")
        if x is not None and x.grad is not None:
            seen.append(float(x.grad))

    gt.exec_snippet(__file__, {"print": tracking_print})
    v = -2.0
    expected = [6 * v * v, 12 * v, 12.0, 0.0]   # f = 2x^3: f', f'', f''', f''''
    ok = len(seen) == 4 and all(abs(a - b) < 1e-5 for a, b in zip(seen, expected))
    return not ok, f"x.grad after each order {seen}; analytic {expected}"


gt.main()
