import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-captum-saliency-explanation-loss"


@gt.case(CASE)
def _():
    # Captum is not installed here: the snippet runs as quoted with a stand-in `Saliency` whose
    # `attribute` computes what captum/attr/_core/saliency.py does (compute_gradients in
    # captum/_utils/gradient.py: forward under set_grad_enabled(True), torch.autograd.grad of the target
    # outputs without create_graph, then abs). A small classifier stands in for the VGG.
    class Saliency:
        def __init__(self, forward_func):
            self.forward_func = forward_func

        def attribute(self, inputs, target=None):
            with torch.autograd.set_grad_enabled(True):
                outputs = self.forward_func(inputs)[:, target]
                grads = torch.autograd.grad(torch.unbind(outputs), inputs)
            return torch.abs(grads[0])

    torch.manual_seed(0)
    vgg_model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(48, 32), torch.nn.Tanh(), torch.nn.Linear(32, 20)).double()
    x_adv = torch.rand(1, 3, 4, 4, dtype=torch.float64, requires_grad=True)
    ns = gt.exec_snippet(__file__, {"Saliency": Saliency, "vgg_model": vgg_model, "x_adv": x_adv})
    expl = ns["expl"]
    objective = (expl - torch.rand_like(expl)).pow(2).sum()
    err = gt.raises(lambda: objective.backward())
    return expl.grad_fn is None and not expl.requires_grad and x_adv.grad is None, (
        f"expl.requires_grad={expl.requires_grad}, grad_fn={expl.grad_fn}; objective.backward() raised {err}; x_adv.grad is None: {x_adv.grad is None}")


gt.main()
