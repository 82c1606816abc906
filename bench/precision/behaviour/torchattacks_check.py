"""Behaviour check for torchattacks (Harry24k/adversarial-attacks-pytorch): every attack in
`torchattacks.__all__`, wrappers included, on a small seeded CNN and four random 3x16x16 images labelled with
the model's own predictions (so every attack has something to do).
Each case's result is the adversarial batch the attack returns (and, for attacks that report more,
that too). Step counts are reduced so that the whole run takes about a minute on one core.
"""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from common import run_cases, seed_all

import torchattacks  # from PYTHONPATH: the original or the fixed copy


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.head = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


def setup():
    seed_all(0)
    model = SmallCNN().eval()
    images = torch.rand(4, 3, 16, 16)
    # Labels the model gets right, so that attacks that stop at the first misclassification have work to do.
    with torch.no_grad():
        labels = model(images).argmax(1)
    return model, images, labels


# Constructor arguments per attack: defaults, with fewer steps.
SETTINGS = {
    "VANILA": {},
    "GN": {},
    "FGSM": {},
    "BIM": {"steps": 3},
    "RFGSM": {"steps": 3},
    "PGD": {"steps": 3},
    "EOTPGD": {"steps": 3},
    "FFGSM": {},
    "TPGD": {"steps": 3},
    "MIFGSM": {"steps": 3},
    "UPGD": {"steps": 3},
    "APGD": {"steps": 3},
    "APGDT": {"steps": 3, "n_classes": 10},
    "DIFGSM": {"steps": 3},
    "TIFGSM": {"steps": 3, "len_kernel": 5},
    "Jitter": {"steps": 3},
    "NIFGSM": {"steps": 3},
    "PGDRS": {"steps": 3, "noise_batch_size": 2},
    "SINIFGSM": {"steps": 3, "m": 2},
    "VMIFGSM": {"steps": 3, "N": 2},
    "VNIFGSM": {"steps": 3, "N": 2},
    "SPSA": {"nb_sample": 8, "max_batch_size": 8},
    "JSMA": {},
    "EADL1": {"binary_search_steps": 2, "max_iterations": 10, "lr": 0.1, "initial_const": 10.0},
    "EADEN": {"binary_search_steps": 2, "max_iterations": 10, "lr": 0.1, "initial_const": 10.0},
    "PIFGSM": {"num_iter_set": 3},
    "PIFGSMPP": {"num_iter_set": 3},
    "CW": {"steps": 5},
    "PGDL2": {"steps": 3},
    "DeepFool": {"steps": 3},
    "PGDRSL2": {"steps": 3, "noise_batch_size": 2},
    "SparseFool": {"steps": 2},
    "OnePixel": {"steps": 2, "popsize": 5},
    "Pixle": {"restarts": 2, "max_iterations": 2},
    "FAB": {"steps": 3, "n_classes": 10},
    "AutoAttack": {"n_classes": 10, "seed": 0},
    "Square": {"n_queries": 50},
}


def attack_case(name):
    def run():
        model, images, labels = setup()
        cls = getattr(torchattacks, name)
        if name == "MultiAttack":
            atk = cls([torchattacks.FGSM(model), torchattacks.PGD(model, steps=3)])
        elif name == "LGV":
            loader = DataLoader(TensorDataset(torch.rand(8, 3, 16, 16), torch.randint(0, 10, (8,))), batch_size=4)
            atk = cls(model, loader, epochs=1, nb_models_epoch=1, verbose=False, steps=2)
        else:
            atk = cls(model, **SETTINGS[name])
        out = atk(images, labels)
        # Attacks also leave the model's parameters alone: include them so that a change there shows.
        params = {k: v for k, v in model.state_dict().items()}
        return {"adversarial": out, "params": params}

    return run


names = list(torchattacks.__all__)
unknown = [n for n in names if n not in SETTINGS and n not in ("MultiAttack", "LGV")]
if unknown:
    raise SystemExit(f"attacks without settings here (add them): {unknown}")

run_cases([(n, attack_case(n)) for n in names])
