import torch


def split_gradient(grad, system):
    assert isinstance(grad, TrapGrad)
    if system is None:
        system = Opts.default
    total_duration = calc_duration(grad)

    def join(*args):
        return torch.stack([torch.as_tensor(x) for x in args])

    ramp_up = make_extended_trapezoid(
        channel=grad.channel,
        amplitudes=join(0, grad.amplitude),
        times=join(0, grad.rise_time)
    )
    flat_top = make_extended_trapezoid(
        channel=grad.channel,
        amplitudes=join(grad.amplitude, grad.amplitude),
        times=join(grad.rise_time, grad.rise_time + grad.flat_time)
    )
    ramp_down = make_extended_trapezoid(
        channel=grad.channel,
        amplitudes=join(grad.amplitude, 0),
        times=join(grad.rise_time + grad.flat_time, total_duration)
    )

    return ramp_up, flat_top, ramp_down


def  make_extended_trapezoid(
    channel,
    amplitudes=torch.zeros(1),
    convert_to_arbitrary=False,
    max_grad=None,
    max_slew=None,
    skip_check=False,
    system=None,
    times=torch.zeros(1),
):
    return FreeGrad(
        channel,
        amplitudes,
        times[0],
        times - times[0],
        times[-1]
    )
