import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-domain-classifier-without-gradient-reversal"


def fc_layer(in_features, out_features, bias=True, activation="relu", bn=True):
    # stand-in for the repository's fc_layer (Linear, BatchNorm1d, activation)
    act = torch.nn.LeakyReLU(0.2) if activation == "leakyrelu" else torch.nn.ReLU()
    return torch.nn.Sequential(torch.nn.Linear(in_features, out_features, bias=bias),
                               torch.nn.BatchNorm1d(out_features), act)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"fc_layer": fc_layer})
    args = types.SimpleNamespace(model="pointnet")
    # reproduction of the quoted wiring: the pooled 1024-d feature goes straight into domain_C,
    # and the domain loss is minimised with the same optimiser that trains the feature trunk
    trunk = torch.nn.Sequential(torch.nn.Linear(3, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1024))
    domain_C = ns["domain_classifier"](args, 1024, 2).eval()
    src, trgt = torch.randn(16, 3) + 0.5, torch.randn(16, 3) - 0.5
    x = torch.cat([src, trgt])
    label = torch.cat([torch.zeros(16, dtype=torch.long), torch.ones(16, dtype=torch.long)])
    criterion = torch.nn.CrossEntropyLoss()

    def domain_loss():
        return criterion(domain_C(trunk(x)), label)

    before = float(domain_loss())
    opt = torch.optim.SGD(trunk.parameters(), lr=0.05)
    for _ in range(5):
        opt.zero_grad()
        domain_loss().backward()
        opt.step()
    after = float(domain_loss())
    # the trunk is pushed to make the domains easier to tell apart: the adversarial term works in reverse
    return after < before, f"domain loss seen by the feature trunk {before:.4f} -> {after:.4f} after 5 steps (a reversal layer would raise it)"


gt.main()
