"""Ground truth for pt-repo-emergency-sounds-lightning-attack-training-only: the snippet's GeneralPLModule run as written
(pytorch_lightning and utils.Helpers replaced by stand-ins: Lightning is not installed), with a one-layer classifier on
the audio and the repository's FGSM/PGD step (attacks/pgd.py's ProjectedGradientDescent.attackSample) as the attack.
validation_step runs under torch.inference_mode() as Lightning's loop runs it; training_step with recording on."""
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-repo-emergency-sounds-lightning-attack-training-only"


class PGD:
    """attacks/pgd.py's ProjectedGradientDescent.attackSample (epsilon step along the sign of the input gradient)."""

    def __init__(self, model):
        self.model = model
        self.attack_parameters = {"epsilon": 0.1, "num_iter": 1}

    def attackSample(self, x, y, epsilon=0, num_iter=1, norm="inf", loss_fn=F.nll_loss):
        for _ in range(num_iter):
            x["audio"].requires_grad_()
            loss = loss_fn(self.model(x), y)
            self.model.zero_grad()
            loss.backward()
            x["audio"] = (x["audio"] + epsilon * x["audio"].grad.sign()).clamp(-1, 1).detach()
        return x


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(8, 2)

    def forward(self, x):
        return F.log_softmax(self.fc(x["audio"]), dim=1)


@gt.case(CASE)
def _():
    pl = types.ModuleType("pytorch_lightning")
    pl.LightningModule = gt.lightning_stand_in().LightningModule
    helpers = types.ModuleType("utils.Helpers")
    helpers.sample_dict_values = lambda params, N_batch=None: params
    sys.modules.setdefault("pytorch_lightning", pl)
    sys.modules.setdefault("utils", types.ModuleType("utils"))
    sys.modules.setdefault("utils.Helpers", helpers)
    ns = gt.exec_snippet(__file__, {})
    m = ns["GeneralPLModule"]({"learning_rate": 1e-3})
    m.model = Net()
    m.attack = PGD(m.model)
    batch = lambda: {"audio": torch.rand(4, 8) * 2 - 1, "label": torch.randint(0, 2, (4,))}  # noqa: E731
    err_val = gt.raises(lambda: gt.run_validation_like_lightning(m, [batch(), batch()], inference_mode=True))
    b = batch()
    before = b["audio"].clone()
    err_train = gt.raises(lambda: m.training_step(b, 0))
    moved = float((b["audio"] - before).abs().max()) if err_train is None else 0.0
    return err_val is not None or err_train is not None or moved == 0.0, f"validation: {err_val or 'ran'}; training step: {err_train or 'ran'}, attack moved audio by {gt.fmt(moved)}"


gt.main()
