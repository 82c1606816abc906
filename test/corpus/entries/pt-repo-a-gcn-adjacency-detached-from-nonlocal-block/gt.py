import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-repo-a-gcn-adjacency-detached-from-nonlocal-block"


@gt.case(CASE)
def _():
    # util.py (trimmed to gen_adj_new, in workspace/) is what `from util import *` loads.
    util = types.ModuleType("util")
    exec(compile(open(os.path.join(HERE, "workspace", "util.py")).read(), "util.py", "exec"), util.__dict__)
    sys.modules["util"] = util
    ns = gt.exec_snippet(__file__, {})

    # CPU run: the forward's .cuda() calls return the tensor itself.
    cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self
    try:
        torch.manual_seed(0)
        # A stand-in for the ResNet-101 trunk: the same attribute names, producing 2048 channels at 14x14.
        trunk = types.SimpleNamespace(conv1=nn.Conv2d(3, 2048, 1), bn1=nn.Identity(), relu=nn.ReLU(),
                                      maxpool=nn.Identity(), layer1=nn.Identity(), layer2=nn.Identity(),
                                      layer3=nn.Identity(), layer4=nn.Identity())
        model = ns["GCNResnet"](trunk, num_classes=80, in_channel=300)
        images = torch.rand(2, 3, 14, 14)
        inp = 0.1 * torch.rand(2, 80, 300)  # the word embeddings of the 80 labels, batched as the data loader gives them
        target = (torch.rand(2, 80) > 0.8).float()
        output, adj, A = model(images, inp)
        loss = nn.MultiLabelSoftMarginLoss()(output, target)
        loss.backward()
    finally:
        torch.Tensor.cuda = cuda
    theta, phi = model.non_local_C1.theta.weight.grad, model.non_local_C1.phi.weight.grad
    gc1 = model.gc1.weight.grad
    misbehaves = theta is None and phi is None and gc1 is not None
    return misbehaves, (f"after loss.backward(): non_local_C1.theta.weight.grad {'None' if theta is None else 'set'}, "
                        f"phi.weight.grad {'None' if phi is None else 'set'}, gc1.weight.grad "
                        f"{'None' if gc1 is None else 'norm ' + gt.fmt(float(gc1.norm()))}")


gt.main()
