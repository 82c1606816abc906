import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-aihwkit-example-simple-layer-no-zero-grad"
WATCHES = []


class AnalogLinear(torch.nn.Linear):
    """Digital stand-in for aihwkit's AnalogLinear (same call signature)."""

    def __init__(self, in_features, out_features, bias=True, rpu_config=None):
        super().__init__(in_features, out_features, bias=bias)


class AnalogSGD(torch.optim.SGD):
    """Stand-in for aihwkit's AnalogSGD: plain SGD, regroup_param_groups a no-op."""

    def __init__(self, params, lr):
        super().__init__(params, lr=lr)
        WATCHES.append(gt.watch_steps(self, self.param_groups[0]["params"]))

    def regroup_param_groups(self, model):
        pass


def _install():
    mods = {
        "aihwkit": {},
        "aihwkit.nn": {"AnalogLinear": AnalogLinear},
        "aihwkit.optim": {"AnalogSGD": AnalogSGD},
        "aihwkit.simulator": {},
        "aihwkit.simulator.configs": {"SingleRPUConfig": lambda device=None: None},
        "aihwkit.simulator.configs.devices": {"ConstantStepDevice": lambda: None},
        "aihwkit.simulator.rpu_base": {"cuda": types.SimpleNamespace(is_compiled=lambda: False)},
    }
    for name, attrs in mods.items():
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        sys.modules[name] = m


@gt.case(CASE)
def _():
    _install()
    losses = []
    gt.exec_snippet(__file__, {"print": lambda s: losses.append(float(s.split(":")[1]))})
    misbehaves, detail = WATCHES[0].verdict()
    return misbehaves, detail + f"; loss {losses[0]:.4g} -> min {min(losses):.4g} -> last {losses[-1]:.4g}"


gt.main()
