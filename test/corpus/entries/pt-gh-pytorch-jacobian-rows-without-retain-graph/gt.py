import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-pytorch-jacobian-rows-without-retain-graph")
def _():
    net = gt.mlp(4, 4)  # f: R^n -> R^n, as in the issue
    x = torch.rand(4, dtype=torch.float64, requires_grad=True)
    holder = {}
    err = gt.raises(lambda: holder.update(gt.exec_snippet(__file__, {"torch": torch, "f": net, "x": x})))
    return err is not None and "second time" in err, f"row-by-row grad(F[i], x) without retain_graph: {err}"


gt.main()
