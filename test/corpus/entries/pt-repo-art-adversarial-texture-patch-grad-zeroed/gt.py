import os
import sys
from types import SimpleNamespace
from typing import Dict, List, Optional, Union

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = os.path.basename(os.path.dirname(os.path.abspath(__file__)))


class EvasionAttack:
    """ART's base class, reduced to what the attack uses; `_apply_texture` pastes the texture onto the frames."""

    def __init__(self, estimator, summary_writer=False):
        self.estimator = estimator
        self.summary_writer = None

    def _check_params(self):
        pass

    def _apply_texture(self, videos, patch, foreground=None, patch_points=None):
        out = videos.clone()
        out[:, :, : patch.shape[0], : patch.shape[1], :] = patch
        return out


class Tracker:
    """A differentiable stand-in for ART's object-tracker estimator: boxes from a small network of the frames."""

    def __init__(self):
        torch.manual_seed(0)
        self.model = nn.Sequential(nn.Flatten(), nn.Linear(2 * 4 * 4 * 3, 8), nn.Tanh(), nn.Linear(8, 4)).double()
        self.clip_values = (-100.0, 100.0)  # wide, so that each update is exactly sign(read gradient) * step_size
        self.device = "cpu"

    def predict(self, x, y_init=None):
        return [{"boxes": self.model(x[i : i + 1])} for i in range(x.shape[0])]


class TrackingDataset(torch.utils.data.Dataset):
    """The dataset class `generate` defines inline (left out of the snippet as `...`)."""

    def __init__(self, x, y, y_init, foreground):
        self.x, self.y, self.y_init, self.foreground = x, y, y_init, foreground

    def __len__(self):
        return self.x.shape[0]

    def __getitem__(self, idx):
        return self.x[idx], {"boxes": torch.from_numpy(self.y[idx]["boxes"])}, self.y_init[idx], self.foreground[idx]


@gt.case(CASE)
def _():
    names = {
        "EvasionAttack": EvasionAttack, "np": np, "torch": torch, "List": List, "Dict": Dict, "Optional": Optional,
        "Union": Union, "SummaryWriter": object, "TrackingDataset": TrackingDataset, "trange": lambda n, **k: range(n),
    }
    ns = gt.exec_snippet(__file__, names)
    attack = ns["AdversarialTexturePyTorch"](Tracker(), patch_height=2, patch_width=2, step_size=0.1, max_iter=6, batch_size=1)
    fresh = []
    attack._patch.register_hook(lambda g: fresh.append(g.clone()))  # the gradient of each backward alone
    left, read = [], []
    original = attack._train_step

    def recording_step(**kw):
        # what the buffer holds when the step starts: backward() adds this step's gradient to it
        g = attack._patch.grad
        left.append(0.0 if g is None else float(g.norm()))
        out = original(**kw)
        if attack._patch.grad is not None and float(attack._patch.grad.norm()) > 0:
            read.append(gt.rel_err(attack._patch.grad, fresh[-1]))  # the buffer the step read, against its own gradient
        return out

    attack._train_step = recording_step
    rng = np.random.RandomState(0)
    x = rng.rand(1, 2, 4, 4, 3)
    y = [{"boxes": rng.rand(1, 4)}]
    attack.generate(x, y, y_init=np.zeros((1, 4)), shuffle=False)
    return any(v > 0 for v in left[1:]), (
        f"norm of the .grad buffer each step starts from: {[gt.fmt(v) for v in left]}; "
        f"relative error of the buffer left after the step against that step's own gradient: {[gt.fmt(v) for v in read]}")


gt.main()
