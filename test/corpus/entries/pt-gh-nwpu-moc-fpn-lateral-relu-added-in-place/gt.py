"""Ground truth for pt-gh-nwpu-moc-fpn-lateral-relu-added-in-place: the snippet's FPN on two small feature maps, then a
backward of the outputs' sum. Control: the answer's fix (`laterals[i - 1] = laterals[i - 1] + ...` instead of `+=`),
run from the same text."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def run(ns):
    torch.manual_seed(0)
    fpn = ns["FPN"]([4, 8], 6, 2)
    inputs = [torch.rand(2, 4, 8, 8), torch.rand(2, 8, 4, 4)]
    return gt.raises(lambda: sum(o.sum() for o in fpn(inputs)).backward())


@gt.case("pt-gh-nwpu-moc-fpn-lateral-relu-added-in-place")
def _():
    err = run(gt.exec_snippet(__file__, {}))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path) as f:
        fixed = f.read().replace("laterals[i - 1] += F.interpolate(", "laterals[i - 1] = laterals[i - 1] + F.interpolate(")
    ns = {"__name__": "snippet_fixed"}
    exec(compile(fixed, path, "exec"), ns)
    control = run(ns)
    return err is not None and "inplace operation" in err and control is None, f"FPN: {err}; with the fix: {control or 'ran'}"


gt.main()
