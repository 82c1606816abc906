"""Ground truth for pt-gh-roofgan-wgan-agent-backward-mone-shape-1: the snippet's `train` method (small stand-in critic
and generator, one batch, one critic iteration) raises the shape mismatch; the same text with a 0-dimensional `one`
runs. Stand-ins on this CPU-only machine: `Tensor.cuda` returns the tensor, tqdm's progress bar passes its iterable
through, and `util.utils.cycle` repeats the loader (as the repository's does); none of them touches autograd."""
import itertools
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

if "tqdm" not in sys.modules:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda iterable, *a, **k: iterable)
util = types.ModuleType("util")
util_utils = types.ModuleType("util.utils")
util_utils.TrainClock = object
util_utils.cycle = lambda loader: itertools.cycle(loader)
util_utils.ensure_dir = lambda path: None
util.utils = util_utils
sys.modules["util"] = util
sys.modules["util.utils"] = util_utils


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3 * 4 + 4 + 2, 1)

    def forward(self, onehots, angles, colinear, num_blocks, onehots_no, angles_no):
        return self.fc(torch.cat([onehots.flatten(1), angles.flatten(1), colinear], 1))


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 3 * 4 + 4 + 2)

    def forward(self, noise, num_blocks):
        h = self.fc(noise)
        onehots, angles, colinear = h[:, :12].view(-1, 3, 2, 2), h[:, 12:16].view(-1, 1, 2, 2), h[:, 16:]
        return onehots, angles, colinear, onehots, angles


def run(text):
    ns = {"__name__": "snippet"}
    exec(compile(text, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    agent = ns["WGANAgant"]()
    agent.netD, agent.netG, agent.n_iters, agent.critic_iters, agent.n_dim = Critic(), Generator(), 1, 1, 2
    agent.set_optimizer(types.SimpleNamespace(lr=1e-4, beta1=0.5))
    batch = {"roof_onehot_maps": torch.rand(3, 3, 2, 2), "roof_angle_maps": torch.rand(3, 1, 2, 2),
             "colinear_onehots": torch.rand(3, 2), "num_blocks": torch.tensor([3])}
    agent.train([batch])


@gt.case("pt-gh-roofgan-wgan-agent-backward-mone-shape-1")
def _():
    torch.Tensor.cuda = lambda self, *a, **k: self
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert "one = torch.FloatTensor([1])" in text
    bug = gt.raises(lambda: run(text))
    control = gt.raises(lambda: run(text.replace("one = torch.FloatTensor([1])", "one = torch.tensor(1.0)")))
    return bug is not None and "Mismatch in shape" in str(bug) and control is None, f"snippet raises {bug}; with a 0-dim one raises {control}"


gt.main()
