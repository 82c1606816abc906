import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-repo-mnist-get-grad-reference-zeroed"


class _NetD(torch.nn.Module):
    """A small stand-in for the repository's shared_model.netD: a classifier ending in log_softmax."""

    def __init__(self, ndf, n_channel, n_label):
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(n_channel, 4, 3, stride=2)
        self.fc = torch.nn.Linear(4 * 3 * 3, n_label)

    def forward(self, x):
        h = torch.tanh(self.conv(x)).flatten(1)
        return torch.log_softmax(self.fc(h), dim=1)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    batches = [(torch.rand(1, 1, 8, 8), torch.tensor([3])), (torch.rand(1, 1, 8, 8), torch.tensor([7]))]
    sys.modules["shared_model"] = types.SimpleNamespace(netD=_NetD)
    sys.modules["get_mnist_loader"] = types.SimpleNamespace(get_loaders=lambda size, bs: (batches, None))
    ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: None})
    # What the script means to keep: the first image's gradient of the first weight.
    ref = _NetD(64, 1, 10)
    ref.load_state_dict(ns["netD"].state_dict())
    torch.nn.functional.nll_loss(ref(batches[0][0]), batches[0][1]).backward()
    expected_first = ref.conv.weight.grad
    kept_first = ns["weights"][0]
    zeroed = float(kept_first.abs().max()) == 0.0 and float(expected_first.abs().max()) > 0.0
    return zeroed, (f"weights[0] kept for image 0 has max |g| {float(kept_first.abs().max()):.3g} after the next "
                    f"netD.zero_grad(); image 0's true gradient has max |g| {float(expected_first.abs().max()):.3g}; "
                    f"so loss compares image 1's gradient with zeros")


gt.main()
