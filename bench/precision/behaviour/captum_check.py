"""Behaviour check for Captum (pytorch/captum): TracInCPFast, the influence method whose helper
`_jacobian_loss_wrt_inputs` draws a warning (so the code a safe fix changes), on a small seeded
classifier with two saved checkpoints and a 12-example training set. Results: influence scores,
top-k proponents and opponents, and self-influence, for 'sum' and 'mean' loss reductions and with
the vectorized Jacobian on and off.
"""
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import TensorDataset

from common import run_cases, seed_all

from captum.influence import TracInCPFast  # from PYTHONPATH: the original or the fixed copy


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(5, 6), nn.Tanh())
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        return self.fc(self.body(x))


def setup(tmp):
    seed_all(0)
    net = Net()
    x, y = torch.randn(12, 5), torch.randint(0, 3, (12,))
    paths = []
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for i in range(2):  # two checkpoints, a training step apart
        path = os.path.join(tmp, f"ckpt{i}.pt")
        torch.save(net.state_dict(), path)
        paths.append(path)
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    return net, TensorDataset(x, y), paths


def load(model, path):
    model.load_state_dict(torch.load(path))
    return 1.0  # learning rate of the checkpoint


def tracin_case(reduction, vectorize):
    def run():
        with tempfile.TemporaryDirectory() as tmp:
            net, data, paths = setup(tmp)
            tracin = TracInCPFast(
                net,
                net.fc,
                data,
                paths,
                checkpoints_load_func=load,
                loss_fn=nn.CrossEntropyLoss(reduction=reduction),
                batch_size=4,
                vectorize=vectorize,
            )
            test = (torch.randn(3, 5), torch.randint(0, 3, (3,)))
            scores = tracin.influence(test)
            top = tracin.influence(test, k=2, proponents=True)
            bottom = tracin.influence(test, k=2, proponents=False)
            self_inf = tracin.self_influence()
            return {
                "scores": scores,
                "top_indices": top.indices,
                "top_scores": top.influence_scores,
                "bottom_indices": bottom.indices,
                "bottom_scores": bottom.influence_scores,
                "self_influence": self_inf,
            }

    return run


run_cases([(f"TracInCPFast:{r}:vectorize={v}", tracin_case(r, v)) for r in ("sum", "mean") for v in (False, True)])
