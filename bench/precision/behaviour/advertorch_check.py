"""Behaviour check for AdverTorch (BorealisAI/advertorch): its gradient-based and score-based attacks,
including the three that draw warnings (DDN, FAB, DeepFool), on a small seeded CNN and four random
3x16x16 images labelled with the model's own predictions. Each case's result is the adversarial batch.
"""
import torch
import torch.nn as nn

from common import run_cases, seed_all

import advertorch.attacks as A  # from PYTHONPATH: the original or the fixed copy


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
    with torch.no_grad():
        labels = model(images).argmax(1)
    return model, images, labels


ATTACKS = {
    "GradientSignAttack": lambda m: A.GradientSignAttack(m, eps=0.03),
    "GradientAttack": lambda m: A.GradientAttack(m, eps=0.3),
    "LinfPGDAttack": lambda m: A.LinfPGDAttack(m, eps=0.03, nb_iter=5, eps_iter=0.01),
    "L2PGDAttack": lambda m: A.L2PGDAttack(m, eps=0.5, nb_iter=5, eps_iter=0.1),
    "L1PGDAttack": lambda m: A.L1PGDAttack(m, eps=5.0, nb_iter=5, eps_iter=1.0),
    "SparseL1DescentAttack": lambda m: A.SparseL1DescentAttack(m, eps=5.0, nb_iter=5, eps_iter=1.0),
    "LinfBasicIterativeAttack": lambda m: A.LinfBasicIterativeAttack(m, eps=0.03, nb_iter=5, eps_iter=0.01),
    "L2BasicIterativeAttack": lambda m: A.L2BasicIterativeAttack(m, eps=0.5, nb_iter=5, eps_iter=0.1),
    "MomentumIterativeAttack": lambda m: A.MomentumIterativeAttack(m, eps=0.03, nb_iter=5, eps_iter=0.01),
    "L2MomentumIterativeAttack": lambda m: A.L2MomentumIterativeAttack(m, eps=0.5, nb_iter=5, eps_iter=0.1),
    "FastFeatureAttack": None,  # needs a guide image; built in its case below
    "CarliniWagnerL2Attack": lambda m: A.CarliniWagnerL2Attack(m, 10, binary_search_steps=2, max_iterations=10),
    "ElasticNetL1Attack": lambda m: A.ElasticNetL1Attack(m, 10, binary_search_steps=2, max_iterations=10),
    "DDNL2Attack": lambda m: A.DDNL2Attack(m, nb_iter=10),
    "DeepfoolLinfAttack": lambda m: A.DeepfoolLinfAttack(m, 10, nb_iter=5),
    "LinfFABAttack": lambda m: A.LinfFABAttack(m, n_iter=5),
    "L2FABAttack": lambda m: A.L2FABAttack(m, n_iter=5),
    "L1FABAttack": lambda m: A.L1FABAttack(m, n_iter=5),
    "JacobianSaliencyMapAttack": lambda m: A.JacobianSaliencyMapAttack(m, 10, gamma=0.05),
    "LBFGSAttack": lambda m: A.LBFGSAttack(m, 10, batch_size=4, binary_search_steps=2, max_iterations=5),
    "SpatialTransformAttack": lambda m: A.SpatialTransformAttack(m, 10, max_iterations=5),
    "SinglePixelAttack": lambda m: A.SinglePixelAttack(m, max_pixels=10),
    "LocalSearchAttack": lambda m: A.LocalSearchAttack(m, round_ub=2, max_nb_seeds=16),
    "LinfSPSAAttack": lambda m: A.LinfSPSAAttack(m, 0.03, nb_iter=2, nb_sample=8, max_batch_size=8),
}


def attack_case(name):
    def run():
        model, images, labels = setup()
        if name == "FastFeatureAttack":
            atk = A.FastFeatureAttack(model.features, eps=0.03, nb_iter=5, eps_iter=0.01)
            guide = torch.rand_like(images)
            out = atk.perturb(images, guide)
        elif name == "JacobianSaliencyMapAttack":
            target = (labels + 1) % 10
            out = ATTACKS[name](model).perturb(images, target)
        else:
            out = ATTACKS[name](model).perturb(images, labels)
        return {"adversarial": out, "params": dict(model.state_dict())}

    return run


run_cases([(n, attack_case(n)) for n in ATTACKS])
