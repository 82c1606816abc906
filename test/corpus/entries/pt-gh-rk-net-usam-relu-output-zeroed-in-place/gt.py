"""Ground truth for pt-gh-rk-net-usam-relu-output-zeroed-in-place: the snippet's USAM on a small feature map, then a
backward of the output's sum (as training does). Control: the same module with the answer's att = att.clone() before
the border is zeroed."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-rk-net-usam-relu-output-zeroed-in-place")
def _():
    ns = gt.exec_snippet(__file__, {})
    USAM = ns["USAM"]

    class ReLUThenClone(torch.nn.Module):
        def forward(self, a):
            return torch.relu(a).clone()

    def cloned():
        m = USAM()
        m.relu = ReLUThenClone()
        return m

    torch.manual_seed(0)
    x = torch.rand(2, 4, 8, 8, requires_grad=True)
    err = gt.raises(lambda: USAM()(x).sum().backward())
    control = gt.raises(lambda: cloned()(x).sum().backward())
    return err is not None and "inplace operation" in err and control is None, f"USAM: {err}; with clone: {control or 'ran'}"


gt.main()
