"""Ground truth for pt-gh-transvae-main-under-no-grad.

The snippet's functions elide their data handling (`...`), so the run reproduces the same chain with a small model:
a cell `with torch.no_grad(): main(opt)` where main builds the model and optimizer and calls train, which runs the
forward pass and `loss.backward()`. Under no_grad the backward raises; the same cell without it trains."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-transvae-main-under-no-grad"


def train(batches, model, optimizer):
    model.train()
    losses = []
    for x, y in batches:
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def main(batches):
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)).double()
    optimizer = torch.optim.Adam(model.parameters(), 1e-2)
    losses = []
    for _epoch in range(5):
        losses += train(batches, model, optimizer)
    return losses


@gt.case(CASE)
def _():
    batches = [(torch.rand(8, 4, dtype=torch.float64), torch.rand(8, 1, dtype=torch.float64)) for _ in range(4)]
    with torch.no_grad():
        err = gt.raises(lambda: main(batches))
    losses = main(batches)
    return err is not None, f"under no_grad: {err}; without it the loss goes {losses[0]:.4f} -> {losses[-1]:.4f}"


gt.main()
