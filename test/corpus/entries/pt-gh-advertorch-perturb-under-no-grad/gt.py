import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-advertorch-perturb-under-no-grad"


class LinfPGD:
    """The core of advertorch's perturb_iterative: a delta requiring grad, loss.backward(), signed step."""

    def __init__(self, predict, eps=0.3, nb_iter=3, eps_iter=0.1):
        self.predict, self.eps, self.nb_iter, self.eps_iter = predict, eps, nb_iter, eps_iter

    def perturb(self, x, y):
        delta = torch.zeros_like(x).requires_grad_()
        for _ in range(self.nb_iter):
            loss = F.cross_entropy(self.predict(x + delta), y)
            loss.backward()
            delta.data = (delta.data + self.eps_iter * delta.grad.data.sign()).clamp(-self.eps, self.eps)
            delta.grad.data.zero_()
        return (x + delta).clamp(0, 1).detach()


@gt.case(CASE)
def _():
    net = gt.mlp(6, 3, dtype=torch.float32)
    testloader = [(torch.rand(8, 6), torch.randint(0, 3, (8,))) for _ in range(2)]
    adversary = LinfPGD(net)
    cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self  # run the quoted .cuda() calls on the CPU
    try:
        err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch, "testloader": testloader,
                                                           "adversary": adversary, "net": net}))
        x, y = testloader[0]
        moved = float((adversary.perturb(x, y) - x).abs().max())  # the same attack with recording on
    finally:
        torch.Tensor.cuda = cuda
    return err is not None, f"under no_grad perturb raised {err}; with recording on the attack moves inputs by up to {gt.fmt(moved)}"


gt.main()
