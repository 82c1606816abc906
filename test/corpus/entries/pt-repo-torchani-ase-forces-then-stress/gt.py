import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torchani-ase-forces-then-stress"


@gt.case(CASE)
def _():
    pair = gt.mlp(1, 1)

    def model(inputs, **_):  # an atomistic energy model with ANI's call signature: pair energies of the coordinates
        species, coordinates = inputs
        x = coordinates[0]
        i, j = torch.triu_indices(x.shape[0], x.shape[0], 1)
        d = ((x[i] - x[j]) ** 2).sum(1).sqrt()
        return SimpleNamespace(energies=pair(d.unsqueeze(1)).sum().reshape(1))

    atoms = SimpleNamespace(get_positions=lambda: np.random.rand(4, 3), get_volume=lambda: 10.0)
    calc = SimpleNamespace(atoms=atoms, device="cpu", dtype=torch.float64, model=model, results={})
    names = {"torch": torch, "self": calc, "properties": ["energy", "forces", "stress"], "pbc_enabled": False,
             "species": torch.zeros(1, 4, dtype=torch.long), "cell": None,
             "ase": SimpleNamespace(units=SimpleNamespace(Hartree=27.211386))}
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    got_forces = "forces" in calc.results
    return err is not None and "second time" in err, f"forces computed: {got_forces}; the stress gradient raised {err}"


gt.main()
