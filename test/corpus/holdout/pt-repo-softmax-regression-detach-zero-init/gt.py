import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn.functional as F

CASE = "pt-repo-softmax-regression-detach-zero-init"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    # A small learnable stand-in for MNIST: 28x28 inputs, labels from a fixed linear rule.
    w_true = torch.randn(784, 10)
    batches = []
    for _ in range(10):
        xb = torch.randn(32, 1, 28, 28)
        batches.append((xb, (xb.view(-1, 784) @ w_true).argmax(1)))
    xs = torch.cat([b[0] for b in batches]).view(-1, 784)
    ys = torch.cat([b[1] for b in batches])
    names = {"num_features": 784, "num_classes": 10, "device": torch.device("cpu"),
             "learning_rate": 0.1, "num_epochs": 3, "train_loader": batches}
    # The cost of the zero-initialised model is log(10) on every batch.
    ns = gt.exec_snippet(__file__, names)
    model = ns["model"]
    with torch.no_grad():
        cost_after = float(F.cross_entropy(model(xs)[0], ys))
    cost_before = float(torch.log(torch.tensor(10.0)))
    wnorm = float(model.linear.weight.norm())
    learned = wnorm > 0 and cost_after < 0.8 * cost_before
    return not learned, (f"zero-initialised via .detach().zero_(); after training |W| = {wnorm:.3g}, "
                         f"cost {cost_before:.4g} -> {cost_after:.4g}")


gt.main()
