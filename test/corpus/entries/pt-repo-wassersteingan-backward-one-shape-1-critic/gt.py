"""Ground truth for pt-repo-wassersteingan-backward-one-shape-1-critic: the snippet's critic step with the
repository's MLP_D (workspace/models/mlp.py) on 4 x 4 images and a small stand-in generator runs; the critic's
parameters receive gradients. MLP_D calls nn.parallel.data_parallel(self.main, input, None), which in PyTorch 0.x ran
the module directly when no GPU ids were given and in 1.13 fails on a CPU-only machine; the case restores the 0.x
behaviour for that call (it does not change what is differentiated)."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "workspace"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class Batches:
    """The snippet calls data_iter.next() (PyTorch 0.x's DataLoader iterator)."""

    def __init__(self, items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return Iterator(self.items)


class Iterator:
    def __init__(self, items):
        self.it = iter(items)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.it)

    next = __next__


def cpu_data_parallel(module, inputs, device_ids=None, *args, **kwargs):
    return module(inputs)


@gt.case("pt-repo-wassersteingan-backward-one-shape-1-critic")
def _():
    opt = types.SimpleNamespace(imageSize=4, batchSize=2, lrD=5e-5, niter=1, clamp_lower=-0.01, clamp_upper=0.01)
    netG = nn.Sequential(nn.Flatten(), nn.Linear(3, 48), nn.Unflatten(1, (3, 4, 4)))
    loader = Batches([(torch.randn(2, 3, 4, 4), torch.zeros(2))])
    names = {"opt": opt, "nz": 3, "nc": 3, "ndf": 8, "ngpu": 1, "dataloader": loader, "Diters": 1, "netG": netG}
    torch.nn.parallel.data_parallel = cpu_data_parallel
    err = gt.raises(lambda: names.update(gt.exec_snippet(__file__, names)))
    grads = [p.grad for p in names["netD"].parameters()] if "netD" in names else []
    ok = err is None and len(grads) > 0 and all(g is not None for g in grads)
    return not ok, f"raises {err}; critic parameters with gradients: {sum(g is not None for g in grads)}/{len(grads)}"


gt.main()
