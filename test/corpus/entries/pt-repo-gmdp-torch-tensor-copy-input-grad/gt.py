import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torchvision  # noqa: E402

CASE = "pt-repo-gmdp-torch-tensor-copy-input-grad"


@gt.case(CASE)
def _():
    # The checkpoint and the MNIST download are replaced for the run: torch.load returns a small CNN,
    # torchvision.datasets.MNIST returns three seeded 1x28x28 images (already tensors). The quoted loop,
    # the torch.tensor(...) copy and the backward run unchanged.
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.Tanh(), torch.nn.Flatten(),
                              torch.nn.Linear(4 * 28 * 28, 10))
    images = [(torch.rand(1, 28, 28) - 0.5, int(torch.randint(0, 10, ()))) for _ in range(3)]
    saved_load, saved_mnist = torch.load, torchvision.datasets.MNIST
    torch.load = lambda *a, **k: net
    torchvision.datasets.MNIST = lambda *a, **k: images
    try:
        ns = gt.exec_snippet(__file__)
        got = ns["torchgrad"]("MNIST", 1)
    finally:
        torch.load, torchvision.datasets.MNIST = saved_load, saved_mnist
    if got is None:
        return True, "orig_img.grad is None"
    x = images[1][0][None].clone().requires_grad_(True)
    want = torch.autograd.grad(torch.nn.functional.cross_entropy(net(x), torch.tensor([images[1][1]])), x)[0]
    err = gt.rel_err(got, want)
    return err > 1e-5, f"orig_img.grad vs the input gradient of the same loss: rel err {err:.2e}"


gt.main()
