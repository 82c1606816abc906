"""Ground truth for pt-gh-waal-frozen-critic-penalty: the snippet's own train() runs on a small
feature extractor / classifier / critic; the gradient-penalty term is then replaced by zero (same
random draws) and the trained parameters compared. Identical parameters mean the penalty had no
effect: the critic is frozen (requires_grad False) and the features were recomputed under no_grad."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class Fea(nn.Module):
    def __init__(self, dim, pretrained, num_classes):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim[0], 8), nn.Tanh())

    def forward(self, x):
        return self.net(x)

    def get_embedding_dim(self):
        return 8


class Clf(nn.Module):
    def __init__(self, dim, pretrained, num_classes):
        super().__init__()
        self.fc = nn.Linear(8, num_classes)

    def forward(self, z):
        return self.fc(z), z


class Dis(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, z):
        return self.net(z)


class Joint(torch.utils.data.Dataset):
    def __init__(self, X1, Y1, X2, Y2, transform=None):
        self.X1, self.Y1, self.X2, self.Y2 = X1, Y1, X2, Y2

    def __len__(self):
        return len(self.X1)

    def __getitem__(self, i):
        return i, self.X1[i], self.Y1[i], self.X2[i], self.Y2[i]


class Data:
    X = torch.zeros(1, 5)


def train_once(ns, zero_penalty):
    torch.manual_seed(0)
    net = ns["Net_WAAL"]()
    net.params = {"n_epoch": 2, "pretrained": False, "num_class": 3, "optimizer": "Adam",
                  "optimizer_args": {"lr": 1e-2}, "transform_train": None,
                  "loader_tr_args": {"batch_size": 16}}
    net.device = "cpu"
    net.net_fea, net.net_clf, net.net_dis, net.handler_joint = Fea, Clf, Dis, Joint
    original = net.gradient_penalty
    seen = []

    def penalty(critic, h_s, h_t):
        gp = original(critic, h_s, h_t)
        seen.append(float(gp))
        return gp * 0.0 if zero_penalty else gp

    net.gradient_penalty = penalty
    g = torch.Generator().manual_seed(1)
    X1, X2 = torch.randn(64, 5, generator=g), torch.randn(64, 5, generator=g) + 1.0
    Y1 = torch.randint(0, 3, (64,), generator=g)
    net.train(Data(), X1, Y1, X2, torch.zeros(64, dtype=torch.long), alpha=1.0)
    params = [p.detach().clone() for p in list(net.fea.parameters()) + list(net.clf.parameters())]
    return params, seen


@gt.case("pt-gh-waal-frozen-critic-penalty")
def _():
    ns = gt.exec_snippet(__file__, {"tqdm": lambda it, ncols=None: it})
    with_gp, seen = train_once(ns, zero_penalty=False)
    without_gp, _ = train_once(ns, zero_penalty=True)
    diff = max(float((a - b).abs().max()) for a, b in zip(with_gp, without_gp))
    mean_gp = sum(seen) / len(seen)
    return diff == 0.0 and mean_gp > 1e-3, (
        f"{len(seen)} penalty evaluations, mean gp {gt.fmt(mean_gp)} (weight alpha*5 = 5); "
        f"max |param(with gp) - param(gp zeroed)| over feature extractor and classifier = {gt.fmt(diff)}"
    )


gt.main()
