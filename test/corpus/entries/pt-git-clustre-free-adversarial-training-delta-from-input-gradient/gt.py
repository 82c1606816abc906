import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn, optim  # noqa: E402

CASE = "pt-git-clustre-free-adversarial-training-delta-from-input-gradient"


@gt.case(CASE)
def _():
    # clustre.helpers.get_time is only used for logging (log=None here).
    pkg, helpers = types.ModuleType("clustre"), types.ModuleType("clustre.helpers")
    helpers.get_time = lambda: ""
    pkg.helpers = helpers
    sys.modules["clustre"], sys.modules["clustre.helpers"] = pkg, helpers
    ns = gt.exec_snippet(__file__, {})

    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 3))
    seen = []
    model.register_forward_pre_hook(lambda m, inp: seen.append(inp[0].detach().clone()))
    batches = [(torch.rand(4, 1, 4, 4), torch.randint(0, 3, (4,))) for _ in range(3)]
    clean = [b[0].clone() for b in batches]
    ns["free_training"](model, batches, n_epoches=3, epsilon=0.1, hop_step=3, optimizer=optim.SGD,
                        optimizer_params={"lr": 0.01})
    # Each minibatch is replayed hop_step times; after the first replay the model should see perturbed inputs.
    shifts = [float((x - clean[(k // 3) % 3]).abs().max()) for k, x in enumerate(seen)]
    biggest = max(shifts)
    return biggest == 0.0, (f"{len(seen)} forward passes; largest |attack_images - images| seen by the model: "
                            f"{gt.fmt(biggest)} (epsilon 0.1)")


gt.main()
