"""Ground truth for pt-gh-lightning-callback-enable-grad-helper-validation.

pytorch_lightning is not installed: stand-ins give the snippet its imports (Callback, Trainer, BoringModel, a
RandomDataset). Lightning's evaluation loop runs the validation batch hooks of callbacks inside
torch.inference_mode() (the Trainer's default); the case calls the snippet's hook that way, then once with
recording on (as a training hook would run)."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


class BoringModel(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(32, 2)

    @property
    def device(self):
        return self.layer.weight.device

    def forward(self, x):
        return self.layer(x)


class RandomDataset(torch.utils.data.Dataset):
    def __init__(self, size, length):
        self.data = torch.randn(length, size)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return self.data[i]


def install():
    pl = types.ModuleType("pytorch_lightning")
    pl.Callback = type("Callback", (), {})
    pl.Trainer = object
    demos = types.ModuleType("pytorch_lightning.demos")
    boring = types.ModuleType("pytorch_lightning.demos.boring_classes")
    boring.BoringModel, boring.RandomDataset = BoringModel, RandomDataset
    sys.modules.update({"pytorch_lightning": pl, "pytorch_lightning.demos": demos, "pytorch_lightning.demos.boring_classes": boring})


@gt.case("pt-gh-lightning-callback-enable-grad-helper-validation")
def _():
    install()
    try:
        ns = gt.exec_snippet(__file__)
    finally:
        for k in ("pytorch_lightning", "pytorch_lightning.demos", "pytorch_lightning.demos.boring_classes"):
            sys.modules.pop(k, None)
    cb, model = ns["BoringCallback"](), ns["model"]
    batch = next(iter(ns["val_data"]))
    with torch.inference_mode():  # Lightning's evaluation loop
        in_validation = gt.raises(lambda: cb.on_validation_batch_start(None, model, batch, 0, 0))
    recording = gt.raises(lambda: cb.on_validation_batch_start(None, model, batch, 0, 0))
    return in_validation is not None and recording is None, (
        f"hook under inference_mode raised {in_validation or 'nothing'}; with recording on raised {recording or 'nothing'}"
    )


gt.main()
