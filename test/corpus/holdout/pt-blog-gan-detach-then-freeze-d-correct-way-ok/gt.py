import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-gan-detach-then-freeze-d-correct-way-ok"


@gt.case(CASE)
def _():
    # The snippet runs as quoted. With X = 1, G = g, D = d: D_loss = (d g)^2, G_loss = (d g)^2.
    # Intended: dD_loss/dd = 2 d g^2 = 0.35, dG_loss/dg = 2 d^2 g = 0.49; SGD lr 1 steps each weight by its own grad.
    ns = gt.exec_snippet(__file__)
    g_w, d_w = float(ns["G"].weight), float(ns["D"].weight)
    g_grad, d_grad = float(ns["G"].weight.grad), float(ns["D"].weight.grad)
    want_g, want_d = 2 * 0.7 ** 2 * 0.5, 2 * 0.7 * 0.5 ** 2
    ok = abs(g_grad - want_g) < 1e-6 and abs(d_grad - want_d) < 1e-6 and abs(g_w - (0.5 - want_g)) < 1e-6 \
        and abs(d_w - (0.7 - want_d)) < 1e-6
    return not ok, f"G grad {g_grad:.4g} (want {want_g:.4g}), D grad {d_grad:.4g} (want {want_d:.4g}); weights {g_w:.4g}, {d_w:.4g}"


gt.main()
