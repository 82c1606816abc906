import copy
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-git-fl-mrcm-adversarial-term-kept"


class Recon(nn.Module):
    """A small reconstruction network returning (output, latent), as the repository's networks do."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(16, 6)
        self.dec = nn.Linear(6, 16)

    def forward(self, x):
        z = torch.tanh(self.enc(x.flatten(1)))
        return self.dec(z).view_as(x), z


def run():
    # One step of the snippet's train() (one local epoch, one batch) against one plain L1 step from the same start:
    # equal updates mean the adversarial term taught the reconstruction network nothing.
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    item = lambda: (torch.randn(1, 4, 4), torch.randn(1, 4, 4), torch.tensor(0.0), torch.tensor(1.0), torch.tensor(1.0), "f", 0)
    source, target = [item() for _ in range(4)], [item() for _ in range(4)]
    net, net_fd = Recon(), nn.Linear(6, 2)
    ref = copy.deepcopy(net)
    args = types.SimpleNamespace(local_bs=4, local_ep=1, verbose=False)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    upd = ns["LocalUpdate_ad_da"](args, "cpu", source, target, opt, torch.optim.SGD(net_fd.parameters(), lr=0.1), False)
    upd.ldr_train, upd.target_domain = [torch.utils.data.default_collate(source)], [torch.utils.data.default_collate(target)]
    upd.train(net, net_fd, 0, 0, None)
    batch = torch.utils.data.default_collate(source)
    ref_opt = torch.optim.SGD(ref.parameters(), lr=0.5)
    nn.L1Loss()(ref(batch[0])[0], batch[1]).backward()
    ref_opt.step()
    diff = max(float((p - q).abs().max()) for p, q in zip(net.parameters(), ref.parameters()))
    return diff


@gt.case(CASE)
def _():
    diff = run()
    return diff == 0.0, f"largest difference between the step with the adversarial term and a plain L1 step: {gt.fmt(diff)}"


gt.main()
