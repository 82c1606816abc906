import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-pytorch-inplace-write-after-manual-sigmoid")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    grad = ns["a"].grad
    # expected: b[1] is overwritten by a constant, so d sum(b)/d a = [sigmoid'(1), 0, sigmoid'(3)]
    a = torch.tensor([1.0, 2.0, 3.0])
    s = torch.sigmoid(a)
    want = s * (1 - s)
    want[1] = 0.0
    # the same derivative of an out-of-place version of the function, through autograd.functional.jacobian
    def f(v):
        b = 1 / ((-v).exp() + 1)
        b = torch.cat([b[:1], torch.tensor([2.0], dtype=v.dtype), b[2:]])
        return b.sum()
    fd = gt.rel_err(torch.autograd.functional.jacobian(f, a.double()), want.double())
    err = gt.rel_err(grad, want)
    return err > 1e-5, f"a.grad {grad.tolist()}, expected [s'(1), 0, s'(3)] = {want.tolist()} (rel err {gt.fmt(err)}; reference check {gt.fmt(fd)}); b's grad_fn {ns['b'].grad_fn.name()}"


gt.main()
