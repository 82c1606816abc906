import os, sys, types, warnings
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


class _Gate(torch.nn.Module):
    """A gate whose balance loss depends on its weight (as FMoE's gshard/switch gates' get_loss does)."""

    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.randn(4, dtype=torch.float64))

    def get_loss(self, clear=False):
        p = torch.softmax(self.w, 0)
        return (p * p).sum() * 4.0


class _Torch:
    """The real torch, with a single-process torch.distributed stand-in."""

    def __getattr__(self, name):
        return getattr(torch, name)

    distributed = types.SimpleNamespace(get_world_size=lambda group=None: 1,
                                        all_reduce=lambda t, group=None: t)


@gt.case("pt-gh-moe-balance-loss-torch-tensor-list")
def _():
    layers = [types.SimpleNamespace(mlp=types.SimpleNamespace(gate=_Gate())) for _ in range(3)]
    gates = [l.mlp.gate for l in layers]
    model = types.SimpleNamespace(language_model=types.SimpleNamespace(transformer=types.SimpleNamespace(layers=layers)))
    args = types.SimpleNamespace(balance_strategy="gshard", balance_loss_weight=1.0)
    task_loss = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    ns = gt.exec_snippet(__file__, {
        "torch": _Torch(), "get_args": lambda: args, "is_pipeline_last_stage": lambda: True,
        "get_torch_default_comm": lambda: None,
        "forward_step_func": lambda d, m, i: (task_loss * 1.0, {}),
    })
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loss, state = ns["forward_step_with_balance_loss"](None, model, None)
    loss.backward()
    grads = [g.w.grad for g in gates]
    none = all(gr is None for gr in grads)
    # what the balance loss's gradient should be (torch.cat / torch.stack keeps the graph)
    ref = torch.stack([g.get_loss() for g in gates]).mean()
    true = torch.autograd.grad(ref, [g.w for g in gates])
    norm = float(sum(t.norm() for t in true))
    return none and norm > 0, f"gate weight .grad after loss.backward(): {['None' if gr is None else 'set' for gr in grads]}; true balance-loss gradient norm {norm:.3g}"


gt.main()
