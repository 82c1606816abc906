"""Ground truth for pt-repo-nequip-trainer-validation-forces-recorded: the snippet's batch_step, run as written on a
stand-in trainer (no rescale layers, an identity AtomicData.to_AtomicDataDict, a force-matching loss) whose model
computes forces as -d(energy)/d(positions) with torch.autograd.grad, as NequIP's force output does; validation=True."""
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-nequip-trainer-validation-forces-recorded"


class ForceModel(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.k = torch.nn.Parameter(torch.tensor(1.5))

    def forward(self, data):
        pos = data["pos"].requires_grad_(True)
        energy = 0.5 * self.k * (pos ** 2).sum()
        forces = -torch.autograd.grad(energy, pos, create_graph=self.training)[0]
        return {"pos": pos, "total_energy": energy, "forces": forces}


class Batch(dict):
    def to(self, device):
        return self


@gt.case(CASE)
def _():
    src = open(os.path.join(HERE, "snippet.py")).read().replace("from nequip.data import DataLoader, AtomicData, AtomicDataDict, AtomicDataset\n", "")
    ns = {"AtomicData": types.SimpleNamespace(to_AtomicDataDict=lambda d: dict(d))}
    exec(compile(src, "trainer.py", "exec"), ns)
    t = ns["Trainer"]()
    t.model = ForceModel()
    t.optim = torch.optim.SGD(t.model.parameters(), lr=0.1)
    t.torch_device = "cpu"
    t.rescale_layers = []
    t._remove_from_model_input = set()
    t.loss = lambda pred, ref: (((pred["forces"] - ref["forces"]) ** 2).mean(), {})
    t.loss_stat = lambda loss, contrib: float(loss)
    t.metrics = lambda pred, ref: float((pred["forces"] - ref["forces"]).abs().mean())
    pos = torch.rand(5, 3, dtype=torch.float64)
    data = Batch(pos=pos.clone(), forces=-1.5 * pos)
    err = gt.raises(lambda: t.batch_step(data, validation=True))
    return err is not None or t.batch_metrics > 1e-12, f"validation batch_step: {err or 'ran'}, force MAE {gt.fmt(getattr(t, 'batch_metrics', float('nan')))}"


gt.main()
