"""Ground truth for pt-gh-determined-evaluate-batch-trains-probe-under-no-grad: the issue's evaluate_batch run as
Determined's PyTorchTrial evaluation runs it, under torch.no_grad(), and with recording on. LREvaluator is a stand-in
with the core of PyGCL's GCL/eval/logistic_regression.py (the embeddings detached, a logistic-regression probe trained
by Adam with loss.backward(), micro-F1 on the test split); the encoder is a small linear layer."""
import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-determined-evaluate-batch-trains-probe-under-no-grad"


class LREvaluator:
    def __init__(self, num_epochs=20, learning_rate=0.05):
        self.num_epochs, self.learning_rate = num_epochs, learning_rate

    def __call__(self, x, y, split):
        x = x.detach()
        classifier = torch.nn.Linear(x.shape[1], int(y.max()) + 1)
        optimizer = torch.optim.Adam(classifier.parameters(), lr=self.learning_rate)
        for _ in range(self.num_epochs):
            optimizer.zero_grad()
            loss = F.cross_entropy(classifier(x[split["train"]]), y[split["train"]])
            loss.backward()
            optimizer.step()
        pred = classifier(x[split["test"]]).argmax(1)
        return {"micro_f1": float((pred == y[split["test"]]).float().mean())}


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"LREvaluator": LREvaluator})
    torch.manual_seed(0)
    enc = torch.nn.Linear(4, 8)
    trial = SimpleNamespace(model=lambda x, edge_index: enc(x),
                            split={"train": torch.arange(0, 30), "test": torch.arange(30, 40)})
    batch = SimpleNamespace(x=torch.randn(40, 4), edge_index=None, y=torch.randint(0, 3, (40,)))
    with torch.no_grad():
        err = gt.raises(lambda: ns["evaluate_batch"](trial, batch))
    ok = ns["evaluate_batch"](trial, batch)
    return err is not None, f"under no_grad (Determined's evaluation): {err}; with recording on: micro_f1 {gt.fmt(ok['micro_f1'])}"


gt.main()
