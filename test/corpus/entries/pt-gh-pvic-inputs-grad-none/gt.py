import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pvic-inputs-grad-none"


@gt.case(CASE)
def _():
    net = gt.mlp(6, 2)
    images = [torch.rand(6, dtype=torch.float64), torch.rand(6, dtype=torch.float64)]  # as a data loader yields them
    targets = torch.rand(2, 2, dtype=torch.float64)
    out = net(torch.stack(images))
    loss_dict = {"a": ((out - targets) ** 2).mean(), "b": out.abs().mean()}
    state = SimpleNamespace(inputs=[images, targets], optimizer=torch.optim.SGD(net.parameters(), lr=0.1), loss=None)
    ns = gt.exec_snippet(__file__, {"self": SimpleNamespace(_state=state), "loss_dict": loss_dict})
    params_have_grad = all(p.grad is not None for p in net.parameters())
    return ns["grad"] is None, f"inputs[0][0].grad = {ns['grad']}; every parameter has a .grad: {params_have_grad}"


gt.main()
