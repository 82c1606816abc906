import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-repo-nth-derivative-grad-sum-scalar")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    nth, x = ns["nth_derivative"], ns["x"]
    got = []
    for n, exact in ((1, 2 * 5 + 3 * 25), (2, 2 + 6 * 5), (3, 6.0)):
        f = x ** 2 + x ** 3
        got.append((n, float(nth(f, x, n)), float(exact)))
    ok = all(abs(a - b) < 1e-4 for _, a, b in got)
    return not ok, "nth_derivative(x^2 + x^3) at 5 (n, autograd, exact): " + str(got)


gt.main()
