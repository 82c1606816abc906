import os
import sys
from types import SimpleNamespace
from typing import Dict, List, Optional

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd import grad  # noqa: E402

CASE = "pt-repo-schnetpack-response-no-retain-graph-training"


@gt.case(CASE)
def _():
    properties = SimpleNamespace(forces="forces", R="_positions", hessian="hessian", n_atoms="_n_atoms")
    ns = gt.exec_snippet(__file__, {"torch": torch, "grad": grad, "Dict": Dict, "List": List, "Optional": Optional,
                                    "properties": properties})
    # a Response layer for forces only, in training mode (its configuration for response_properties=["forces"])
    layer = SimpleNamespace(energy_key="energy", basic_derivatives={"dEdR": properties.R}, basic_graph_required=False,
                            training=True, derivative_instructions={"dEdR": True, "d2EdR2": False, "dEds": False},
                            response_properties=[properties.forces], graph_required={"d2EdR2": False})
    net = gt.mlp(3, 1)
    R = torch.rand(6, 3, dtype=torch.float64, requires_grad=True)
    energy = net(R).sum().reshape(1)
    results = ns["forward"](layer, {"energy": energy, properties.R: R})
    forces = results[properties.forces]
    loss = ((energy - 1.0) ** 2).sum() + (forces ** 2).mean()
    err = gt.raises(lambda: loss.backward())
    return err is not None and "second time" in err, f"backward of the energy + force loss raised {err}"


gt.main()
