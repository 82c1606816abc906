import os
import sys
from contextlib import nullcontext
from types import SimpleNamespace
from typing import Dict, List, Optional, Union

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-git-schnetpack-md-calculator-grad-context-fixed"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "nn": nn, "nullcontext": nullcontext, "List": List, "Dict": Dict,
                                    "Optional": Optional, "Union": Union, "System": object, "MDCalculatorError": RuntimeError})

    class Calculator(ns["MDCalculator"]):
        """Test calculator: a pair model on positions; forces -dE/dR taken with create_graph."""

        def __init__(self, gradients_required):
            super().__init__(["energy"], "forces", 1.0, 1.0, energy_label="energy", gradients_required=gradients_required)
            self.net = gt.mlp(3, 1)

        def calculate(self, system):
            R = system.positions
            energy = self.net(R).sum().reshape(1)
            forces = -torch.autograd.grad(energy, R, create_graph=True)[0]
            self.results = {"energy": energy, "forces": forces}
            self._update_system(system)

        def _set_system_forces(self, system):
            system.forces = system.properties["forces"]

        def _set_system_energy(self, system):
            system.energy = system.properties["energy"]

    def run(required):
        system = SimpleNamespace(positions=torch.rand(5, 3, dtype=torch.float64, requires_grad=True), n_replicas=1,
                                 properties={})
        Calculator(required).calculate(system)
        return system.forces.requires_grad, system.energy.requires_grad

    with_graph = run(True)
    without = run(False)
    return with_graph != (True, True) or without != (False, False), (
        f"gradients_required=True: forces/energy keep a graph {with_graph}; gradients_required=False: {without}")


gt.main()
