import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import functorch
from torch.nn.utils import stateless


def _stack_module_state(models):
    """torch.func.stack_module_state (PyTorch 2.x): each parameter stacked over the models into a new leaf."""
    params = {k: torch.stack([dict(m.named_parameters())[k].detach() for m in models]).requires_grad_()
              for k, _ in models[0].named_parameters()}
    buffers = {k: torch.stack([dict(m.named_buffers())[k] for m in models]) for k, _ in models[0].named_buffers()}
    return params, buffers


def _functional_call(module, params_and_buffers, args):
    params, buffers = params_and_buffers
    return stateless.functional_call(module, {**params, **buffers}, args)


# torch.func is PyTorch 2.x; on 1.13 the same functions live in functorch / torch.nn.utils.stateless
sys.modules.setdefault("torch.func", types.SimpleNamespace(functional_call=_functional_call, vmap=functorch.vmap,
                                                             stack_module_state=_stack_module_state))


@gt.case("pt-gh-grad-wrt-slice-of-stacked-params")
def _():
    printed = []
    ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: printed.append(a)})
    sliced = [p[0][0] for p in printed[1:6]]          # grads w.r.t. params['weight'][i]
    whole = [p[0][0] for p in printed[7:12]]          # grads w.r.t. params['weight']
    none_sliced = all(g is None for g in sliced)
    whole_ok = all(g is not None and float(g[i].abs().sum()) > 0 for i, g in enumerate(whole))
    return none_sliced and whole_ok, (f"grad(loss_i, params['weight'][i]): {['None' if g is None else 'tensor' for g in sliced]}; "
                                      f"grad(loss_i, params['weight']) has a non-zero row i: {whole_ok}")


gt.main()
