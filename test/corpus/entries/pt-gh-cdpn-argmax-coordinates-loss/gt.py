"""Ground truth for pt-gh-cdpn-argmax-coordinates-loss: the snippet runs on the binned coordinate outputs of a
small convolution (65 bins per axis, as CDPN's coor_bin = 64 plus background), and an L1 loss of the decoded
coordinates against a target map is backpropagated, as the asker did."""
import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-cdpn-argmax-coordinates-loss"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    net = torch.nn.Conv2d(3, 3 * 65, 1)
    out = net(torch.randn(1, 3, 8, 8))
    x_, y_, z_ = out[:, :65], out[:, 65:130], out[:, 130:]
    ns = gt.exec_snippet(__file__, {
        "torch": torch, "output_coor_x_": x_, "output_coor_y_": y_, "output_coor_z_": z_,
        "cfg": SimpleNamespace(network=SimpleNamespace(coor_bin=64)),
    })
    coor = ns["output_coor_"]
    loss = (coor - torch.zeros(8, 8, 3)).abs().mean()
    err = gt.raises(loss.backward)
    return err is not None and "does not require grad" in err, f"loss.backward() on the decoded coordinates: {err}"


gt.main()
