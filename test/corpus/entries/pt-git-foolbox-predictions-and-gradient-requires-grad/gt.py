"""Ground truth for pt-git-foolbox-predictions-and-gradient-requires-grad: the snippet's PyTorchModel.predictions_and_gradient run with PyTorch 1.13
(not pre-0.4, so the Variable branch is skipped) on a small linear classifier. The class's other members the method uses
are given as in foolbox: _process_input/_process_gradient (identity: no preprocessing), num_classes, cuda=False,
_model; DifferentiableModel is a plain base class. The gradient returned, or the error raised, is compared with a
separate torch.autograd.grad of the same cross-entropy loss."""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-git-foolbox-predictions-and-gradient-requires-grad")
def _():
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        text = fh.read().replace("from .base import DifferentiableModel\n", "")
    ns = {"__name__": "snippet", "DifferentiableModel": object}
    exec(compile(text, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 5))
    model = ns["PyTorchModel"]()
    model._model = net
    model.cuda = False
    model._process_input = lambda x: x
    model._process_gradient = lambda g: g
    model.num_classes = lambda: 5
    image = np.random.rand(3, 2, 2).astype(np.float32)
    result = {}
    err = gt.raises(lambda: result.update(out=model.predictions_and_gradient(image, 2)))
    x = torch.from_numpy(image[np.newaxis]).requires_grad_(True)
    want = torch.autograd.grad(torch.nn.CrossEntropyLoss()(net(x), torch.tensor([2])), x)[0][0].numpy()
    if err is not None:
        return True, f"predictions_and_gradient raises {err}"
    got = result["out"][1]
    diff = float(np.abs(got - want).max())
    return diff > 1e-6, f"returned gradient vs autograd.grad: max abs difference {diff:.3g}"


gt.main()
