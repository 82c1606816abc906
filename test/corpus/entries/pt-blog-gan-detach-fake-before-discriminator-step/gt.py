import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-gan-detach-fake-before-discriminator-step"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    # G.zero_grad() runs right after the discriminator's backward/step: record what gradient G holds then
    seen = []
    orig = torch.nn.Module.zero_grad

    def spy(self, *a, **k):
        if type(self).__name__ == "Generator":
            seen.append(gt.norm_of(gt.param_grads(self)))
        return orig(self, *a, **k)

    torch.nn.Module.zero_grad = spy
    try:
        ns = gt.exec_snippet(__file__)
    finally:
        torch.nn.Module.zero_grad = orig
    G, D, loss_func = ns["G"], ns["D"], ns["loss_func"]
    # the discriminator's backward never reached G
    g_grad = max(seen)
    torch.manual_seed(1)
    with torch.no_grad():
        real = torch.randn(500, 1)
        fake = G(torch.randn(500, 10))
        d_loss = float(loss_func(D(real), torch.ones(500, 1)) + loss_func(D(fake), torch.zeros(500, 1)))
    # a fresh discriminator for comparison: the trained one separates the two batches better
    torch.manual_seed(0)
    D0 = type(D)()
    with torch.no_grad():
        d0_loss = float(loss_func(D0(real), torch.ones(500, 1)) + loss_func(D0(fake), torch.zeros(500, 1)))
    bad = not (g_grad == 0 and d_loss < d0_loss)
    return bad, f"max generator grad left by the 1000 discriminator steps {gt.fmt(g_grad)}; D loss untrained {gt.fmt(d0_loss)} -> trained {gt.fmt(d_loss)}"


gt.main()
