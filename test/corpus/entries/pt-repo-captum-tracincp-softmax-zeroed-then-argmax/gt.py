"""Ground truth for pt-repo-captum-tracincp-softmax-zeroed-then-argmax: the cell with a small linear network and a
data set of 300 random samples in 10 classes. It runs without error (no backward goes through the softmax), and each
label found is the most probable class other than the true one (checked against a copy of the probabilities)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402


@gt.case("pt-repo-captum-tracincp-softmax-zeroed-then-argmax")
def _():
    torch.manual_seed(0)
    net = torch.nn.Linear(5, 10)
    x, y = torch.randn(300, 5), torch.randint(0, 10, (300,))
    names = {"torch": torch, "DataLoader": DataLoader, "correct_dataset": TensorDataset(x, y), "correct_dataset_net": net}
    err = gt.raises(lambda: names.update(gt.exec_snippet(__file__, names)))
    if err is not None:
        return True, f"the cell raised {err}"
    probs = torch.softmax(net(x), dim=1).detach()
    probs[torch.arange(300), y] = -1.0
    expected = probs.argmax(dim=1)
    wrong = (names["incorrect_labels"] != expected).sum().item()
    return wrong > 0, f"{wrong} of 300 labels differ from the most probable wrong class"


gt.main()
