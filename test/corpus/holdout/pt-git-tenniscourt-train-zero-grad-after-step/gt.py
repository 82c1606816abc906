import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-git-tenniscourt-train-zero-grad-after-step")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))
    loader = [(torch.randn(8, 6), torch.rand(8, 3)) for _ in range(6)]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    watch = gt.watch_steps(optimizer, model.parameters())
    ns["train"](model, loader, optimizer, torch.nn.MSELoss(), "cpu", 0, max_iters=1000)
    return watch.verdict()


gt.main()
