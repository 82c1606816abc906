"""Ground truth for pt-repo-learn2learn-mamlpp-validation-adapts-with-recording-on: the snippet's
MAMLppTrainer._testing_step, run as written (learn2learn, tqdm and the example's model modules replaced by stand-ins),
as the meta-validation loop of train() calls it (recording on), with a learner whose adapt is MAMLpp.adapt's inner
step: torch.autograd.grad of the support loss with respect to the parameters (second order), then p - lr * g."""
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-repo-learn2learn-mamlpp-validation-adapts-with-recording-on"


class Learner:
    def __init__(self, w, b, lr=0.1):
        self.params = [w.clone(), b.clone()]
        self.lr = lr

    def __call__(self, x, step):
        return F.linear(x, self.params[0], self.params[1])

    def adapt(self, loss, step=None, first_order=False):
        grads = torch.autograd.grad(loss, self.params, retain_graph=True, create_graph=True)
        self.params = [p - self.lr * g for p, g in zip(self.params, grads)]


@gt.case(CASE)
def _():
    for name in ("learn2learn", "tqdm", "examples", "examples.vision", "examples.vision.mamlpp",
                 "examples.vision.mamlpp.cnn4_bnrs", "examples.vision.mamlpp.MAMLpp"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["tqdm"].tqdm = lambda it, **k: it
    sys.modules["examples.vision.mamlpp.cnn4_bnrs"].CNN4_BNRS = object
    sys.modules["examples.vision.mamlpp.MAMLpp"].MAMLpp = Learner
    ns = gt.exec_snippet(__file__, {})
    t = object.__new__(ns["MAMLppTrainer"])
    t._use_cuda, t._steps, t._inner_criterion = False, 2, torch.nn.CrossEntropyLoss()
    w = torch.randn(3, 5, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    batch = ns["MetaBatch"]((torch.rand(6, 5), torch.randint(0, 3, (6,))), (torch.rand(6, 5), torch.randint(0, 3, (6,))))
    ns["accuracy"] = lambda p, y: float((p.argmax(1) == y).float().mean())
    learner = Learner(w, b)
    err = gt.raises(lambda: t._testing_step(batch, learner))
    moved = float((learner.params[0] - w).abs().max())
    return err is not None or moved == 0.0, f"meta-validation step: {err or 'ran'}; adapted weights moved by {gt.fmt(moved)}"


gt.main()
