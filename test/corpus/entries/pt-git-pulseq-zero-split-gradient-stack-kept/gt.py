"""Ground truth for pt-git-pulseq-zero-split-gradient-stack-kept: split_gradient of the snippet run on a trapezoid whose amplitude and
timing are tensors that require grad (an MR sequence optimized by gradient descent, as pulseq-zero's MR-zero mode
does); stand-ins for TrapGrad, FreeGrad, Opts and calc_duration with the fields the snippet reads. The measured
symptom: the derivative of the split waveforms' sum with respect to the amplitude, whose analytic value is 4 (the amplitude appears four times in the three waveforms)."""
import os
import sys
from dataclasses import dataclass
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-pulseq-zero-split-gradient-stack-kept"


@dataclass
class TrapGrad:
    channel: object
    amplitude: object
    rise_time: object
    flat_time: object
    fall_time: object
    delay: object


@dataclass
class FreeGrad:
    channel: object
    waveform: object
    delay: object
    tt: object
    shape_dur: object


def calc_duration(g):
    return g.delay + g.rise_time + g.flat_time + g.fall_time


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"TrapGrad": TrapGrad, "FreeGrad": FreeGrad, "calc_duration": calc_duration,
                                    "Opts": SimpleNamespace(default=None)})
    amp = torch.tensor(2.0, requires_grad=True)
    g = TrapGrad("x", amp, torch.tensor(1e-4), torch.tensor(1e-3), torch.tensor(1e-4), torch.tensor(0.0))
    parts = ns["split_gradient"](g, None)
    total = sum(p.waveform.sum() for p in parts)  # amplitude appears 4 times: d total / d amp = 4
    if not total.requires_grad:
        return True, f"the split waveforms do not require grad (requires_grad={total.requires_grad}): the amplitude's gradient is lost"
    d, = torch.autograd.grad(total, amp)
    return abs(float(d) - 4.0) > 1e-6, f"d(sum of waveforms)/d(amplitude) = {gt.fmt(float(d))} (analytic 4)"


gt.main()
