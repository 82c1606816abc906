import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-git-pot-emd2-valfunction-drops-grad-output")
def _():
    ns = gt.exec_snippet(__file__, {"Backend": object, "torch_type": torch.Tensor})
    nx = ns["TorchBackend"]()
    # What ot.emd2 does: the cost <G, M> computed without a graph, the plan G attached as its gradient in M.
    torch.manual_seed(0)
    M = torch.rand(4, 4, dtype=torch.float64, requires_grad=True)
    G = torch.rand(4, 4, dtype=torch.float64)
    G = G / G.sum()
    cost = nx.set_gradients((G * M).sum().detach(), (M,), (G,))
    (-3.0 * cost).backward()  # a scaled, sign-flipped loss (maximising the distance)
    err = gt.rel_err(M.grad, -3.0 * G)
    return err > 1e-10, f"dL/dM against -3 G: relative error {gt.fmt(err)}, ratio {gt.fmt(gt.ratio(M.grad, G))}"


gt.main()
