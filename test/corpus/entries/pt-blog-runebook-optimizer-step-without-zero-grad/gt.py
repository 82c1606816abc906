import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-runebook-optimizer-step-without-zero-grad"


@gt.case(CASE)
def _():
    model = gt.mlp(3, 1)
    torch.manual_seed(1)
    train_loader = [(torch.rand(8, 3, dtype=torch.float64), torch.rand(8, 1, dtype=torch.float64)) for _ in range(4)]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    watch = gt.watch_steps(optimizer, model.parameters())
    gt.exec_snippet(__file__, {"train_loader": train_loader, "model": model, "criterion": torch.nn.MSELoss(),
                               "optimizer": optimizer})
    return watch.verdict()


gt.main()
