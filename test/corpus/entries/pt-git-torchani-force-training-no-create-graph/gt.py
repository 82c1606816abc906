"""Ground truth for pt-git-torchani-force-training-no-create-graph: the snippet's force-training loop (TorchANI's
nnp_training_force example) for one epoch on one batch of two random 4-atom molecules. torchani is a
stand-in module: the AEV computer maps coordinates to one smooth per-atom feature (a sum of
exp(-r_ij^2) over the other atoms) and ANIModel([...]) is a small Tanh network on it whose atomic
outputs are summed per molecule. The parameter gradient left by loss.backward() is compared with
the gradient of the same loss (energy + force terms) computed with the force kept differentiable
(create_graph=True); the force term must contribute to it. tqdm is a pass-through stand-in."""
import copy
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-torchani-force-training-no-create-graph"


class AEV(torch.nn.Module):
    def forward(self, species_coordinates):
        species, coordinates = species_coordinates
        d2 = ((coordinates[:, :, None, :] - coordinates[:, None, :, :]) ** 2).sum(-1)
        eye = torch.eye(coordinates.shape[1], dtype=torch.bool)
        feat = torch.exp(-d2).masked_fill(eye, 0.0).sum(-1, keepdim=True)
        return species, feat


class AtomicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = gt.mlp(1, 1, width=8)

    def forward(self, species_aev):
        species, aev = species_aev
        return species, self.net(aev).squeeze(-1).sum(-1)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    coords = torch.randn(2, 4, 3, dtype=torch.float64)
    batch_y = {
        "energies": torch.randn(2, dtype=torch.float64),
        "atomic": [{
            "species": torch.zeros(2, 4, dtype=torch.long),
            "coordinates": coords.clone(),
            "forces": torch.randn(2, 4, 3, dtype=torch.float64),
        }],
    }
    net = AtomicNet()
    aev = AEV()
    reference = copy.deepcopy(net)

    # expected: the same loss with a differentiable force
    x = coords.clone().requires_grad_(True)
    _, e = torch.nn.Sequential(aev, reference)((batch_y["atomic"][0]["species"], x))
    f = -torch.autograd.grad(e.sum(), x, create_graph=True)[0]
    mse = torch.nn.MSELoss(reduction="none")
    n = torch.full((2,), 4.0, dtype=torch.float64)
    e_loss = (mse(e, batch_y["energies"]) / n).mean()
    e_loss = 0.5 * (torch.exp(2 * e_loss) - 1)
    f_loss = (mse(batch_y["atomic"][0]["forces"], f).sum(dim=(1, 2)) / n).mean()
    expected = torch.autograd.grad(e_loss + f_loss, list(reference.parameters()), retain_graph=True)
    energy_only = torch.autograd.grad(e_loss, list(reference.parameters()))

    sys.modules["torchani"] = types.SimpleNamespace(ANIModel=lambda networks: net)
    sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda iterable, total=None: iterable)
    gt.exec_snippet(__file__, {
        "H_network": None, "C_network": None, "N_network": None, "O_network": None,
        "aev_computer": aev, "device": torch.device("cpu"),
        "scheduler": types.SimpleNamespace(last_epoch=0), "max_epochs": 2,
        "training": [(None, batch_y)],
    })
    got = [p.grad for p in net.parameters()]
    rel = gt.rel_err(torch.cat([g.flatten() for g in got]), torch.cat([g.flatten() for g in expected]))
    rel_e = gt.rel_err(torch.cat([g.flatten() for g in got]), torch.cat([g.flatten() for g in energy_only]))
    return not rel < 1e-8, (f"parameter gradient vs energy+force loss gradient: rel err {gt.fmt(rel)}; "
                            f"vs energy-only gradient: rel err {gt.fmt(rel_e)}")


gt.main()
