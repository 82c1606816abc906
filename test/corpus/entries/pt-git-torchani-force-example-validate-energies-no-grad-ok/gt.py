import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-torchani-force-example-validate-energies-no-grad-ok"


class PairModel(torch.nn.Module):
    """A stand-in for the ANI model: energy = sum over atoms of an MLP of each atom's distances to the others."""

    def __init__(self):
        super().__init__()
        self.mlp = gt.mlp(1, 1).float()

    def forward(self, sc):
        species, coords = sc
        d = (coords[:, :, None, :] - coords[:, None, :, :] + 1e-3).norm(dim=-1)
        return species, self.mlp(d.unsqueeze(-1)).sum(dim=(1, 2, 3))


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = PairModel()
    batch = lambda: {"species": torch.zeros(2, 3, dtype=torch.long), "coordinates": torch.rand(2, 3, 3),  # noqa: E731
                     "energies": torch.rand(2), "forces": torch.rand(2, 3, 3)}
    data = [batch() for _ in range(3)]
    params = list(model.parameters())
    opt_a = torch.optim.AdamW(params, lr=1e-3)
    opt_s = torch.optim.SGD(params, lr=1e-3)
    sched = type("S", (), {"last_epoch": -1})()
    ns = gt.exec_snippet(__file__, {"torch": torch, "math": math, "model": model, "validation": data, "training": data,
                                    "device": "cpu", "hartree2kcalmol": lambda v: v * 627.5, "AdamW": opt_a, "SGD": opt_s,
                                    "AdamW_scheduler": sched, "max_epochs": 3})
    rmse_no_grad = ns["validate"]()
    # the same validation with recording on gives the same number
    total = sum(((model((p["species"], p["coordinates"]))[1] - p["energies"]) ** 2).sum().item() for p in data)
    rmse_ref = math.sqrt(total / 6) * 627.5
    before = ns["loss"].item()
    return bool(abs(rmse_no_grad - rmse_ref) > 1e-3 * rmse_ref or not math.isfinite(before)), (
        f"validate() under no_grad: {rmse_no_grad:.5g} (recording on: {rmse_ref:.5g}); training loss ran: {before:.4g}")


gt.main()
