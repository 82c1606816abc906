import os, sys, math
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-forum-tanh-chain-item-logging-autograd-right")
def _():
    ns = gt.exec_snippet(__file__)

    def y2(wh, wy, h0=0.5):
        return wy * math.tanh(wh * math.tanh(wh * h0))

    h = 1e-6
    fd_wh = (y2(2.0 + h, 40.0) - y2(2.0 - h, 40.0)) / (2 * h)
    fd_wy = (y2(2.0, 40.0 + h) - y2(2.0, 40.0 - h)) / (2 * h)
    g_wh = ns["W_h"].grad.item()
    g_wy = ns["W_y"].grad.item()
    e = max(abs(g_wh - fd_wh) / abs(fd_wh), abs(g_wy - fd_wy) / abs(fd_wy))
    return e > 1e-4, f"W_h.grad {g_wh:.5g} vs FD {fd_wh:.5g}; W_y.grad {g_wy:.5g} vs FD {fd_wy:.5g}; rel. err {e:.2g}"


gt.main()
