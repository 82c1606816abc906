import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-insightface-arcface-clamp-sqrt-sin2")
def _():
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    head = ns["Arcface"](embedding_size=3, classnum=4).double()
    # Embeddings are unit vectors (the backbone returns l2_norm(x)); row 0 points along class 1's weight column.
    with torch.no_grad():
        head.kernel[:, 1] = torch.tensor([3.0, 0.0, 0.0], dtype=torch.float64)
    emb = torch.tensor([[1.0, 0.0, 0.0], [0.6, 0.0, 0.8]], dtype=torch.float64, requires_grad=True)
    label = torch.tensor([1, 2])
    out = head(emb, label)
    loss = torch.nn.functional.cross_entropy(out, label)
    loss.backward()
    bad = bool(torch.isnan(emb.grad).any() or torch.isnan(head.kernel.grad).any())
    return bad, f"loss {loss.item():.4g}; embedding gradient {emb.grad[0].tolist()}; NaN in kernel grad: {bool(torch.isnan(head.kernel.grad).any())}"


gt.main()
