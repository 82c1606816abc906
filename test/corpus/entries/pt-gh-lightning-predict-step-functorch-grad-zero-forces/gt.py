import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-lightning-predict-step-functorch-grad-zero-forces"


@gt.case(CASE)
def _():
    # pytorch_lightning is not installed: its LightningModule stand-in; Trainer.predict runs predict_step
    # under module.eval() and torch.inference_mode(), as Lightning's predict loop does by default.
    mod = types.ModuleType("pytorch_lightning")
    mod.LightningModule = gt.lightning_stand_in().LightningModule
    sys.modules["pytorch_lightning"] = mod
    try:
        ns = gt.exec_snippet(__file__)
    finally:
        del sys.modules["pytorch_lightning"]
    torch.manual_seed(0)
    model = ns["TestModel"]()
    x = torch.rand(100, 10)
    _, force_compare = model(x)  # called directly: the reference
    model.eval()
    with torch.inference_mode():
        _, force = model.predict_step((x,), 0)
    return bool(force.abs().max() == 0) and bool(force_compare.abs().max() > 0), (
        f"max |force| in predict {float(force.abs().max()):.4g}, called directly {float(force_compare.abs().max()):.4g}")


gt.main()
