import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-lightning-predict-step-enable-grad"


def lightning_module():
    """pytorch_lightning is not installed: a stand-in whose Trainer.predict runs predict_step the way
    Lightning's predict loop does by default (module.eval() and torch.inference_mode())."""
    stand_in = gt.lightning_stand_in()

    class Trainer:
        def __init__(self, inference_mode=True, **_ignored):
            self.inference_mode = inference_mode

        def predict(self, model, dataloaders):
            model.eval()
            context = torch.inference_mode if self.inference_mode else torch.no_grad
            with context():
                return [model.predict_step(batch, i) for i, batch in enumerate(dataloaders)]

    mod = types.ModuleType("pytorch_lightning")
    mod.LightningModule = stand_in.LightningModule
    mod.Trainer = Trainer
    return mod


@gt.case(CASE)
def _():
    sys.modules["pytorch_lightning"] = lightning_module()
    try:
        err = gt.raises(lambda: gt.exec_snippet(__file__))
    finally:
        del sys.modules["pytorch_lightning"]
    return err is not None, f"trainer.predict raised {err}"


gt.main()
