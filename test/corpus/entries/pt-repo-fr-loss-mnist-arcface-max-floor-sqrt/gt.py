import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-fr-loss-mnist-arcface-max-floor-sqrt")
def _():
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    head = ns["ArcMarginProduct"]()
    # Features aligned with their class weight columns (cosine exactly 1 after the clamp): the case the floor is for.
    with torch.no_grad():
        head.weight[:, 3] = torch.tensor([2.0, 0.0])
        head.weight[:, 5] = torch.tensor([0.0, -1.0])
    x = torch.tensor([[3.0, 0.0], [0.0, -0.5], [0.3, 0.7]], requires_grad=True)
    label = torch.tensor([3, 5, 1])
    # The source allocates the floor with .cuda(); this CPU run keeps it on the CPU.
    cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self
    try:
        _, loss = head(x, label)
    finally:
        torch.Tensor.cuda = cuda
    loss.backward()
    bad = bool(torch.isnan(x.grad).any() or torch.isnan(head.weight.grad).any())
    return bad, f"loss {loss.item():.4g}; feature gradients {x.grad.tolist()}"


gt.main()
