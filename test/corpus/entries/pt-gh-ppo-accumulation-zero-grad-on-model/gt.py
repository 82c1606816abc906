import contextlib
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-ppo-accumulation-zero-grad-on-model"


class Accelerator:
    # stand-in for accelerate.Accelerator's gradient accumulation: sync_gradients is True on every
    # `steps`-th micro-batch; the wrapped optimizer only steps and zeroes on those
    def __init__(self, steps):
        self.steps, self.count, self.sync_gradients, self.is_main_process = steps, 0, False, True

    @contextlib.contextmanager
    def accumulate(self, model):
        self.count += 1
        self.sync_gradients = self.count % self.steps == 0
        yield

    def backward(self, loss):
        (loss / self.steps).backward()

    def clip_grad_norm_(self, params, max_norm):
        return torch.nn.utils.clip_grad_norm_(params, max_norm)


class AcceleratedOptimizer:
    # as accelerate.optimizer.AcceleratedOptimizer: step() and zero_grad() are skipped on non-sync steps
    def __init__(self, optimizer, accelerator):
        self.optimizer, self.accelerator, self.applied = optimizer, accelerator, []

    def step(self):
        if self.accelerator.sync_gradients:
            self.applied.append([p.grad.clone() for p in self.optimizer.param_groups[0]["params"]])
            self.optimizer.step()

    def zero_grad(self, set_to_none=True):
        if self.accelerator.sync_gradients:
            self.optimizer.zero_grad(set_to_none=set_to_none)


for name in ("accelerate", "accelerate.optimizer"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["accelerate.optimizer"].AcceleratedOptimizer = AcceleratedOptimizer
sys.modules["tqdm"] = types.ModuleType("tqdm")
sys.modules["tqdm"].tqdm = lambda it, disable=None, desc=None: it


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"common": types.SimpleNamespace(merge_dict=lambda d, f: d)})
    policy = torch.nn.Linear(3, 1)
    batches = [torch.randn(8, 3) for _ in range(4)]
    trainer = ns["RLTrainer"]()
    trainer.accelerator = Accelerator(steps=4)
    trainer.policy = policy
    trainer.optimizer = AcceleratedOptimizer(torch.optim.SGD(policy.parameters(), lr=0.0), trainer.accelerator)
    trainer.args = types.SimpleNamespace(noptepochs=1, max_grad_norm=None)
    trainer.get_rollouts_dataloader = lambda rollouts: batches
    trainer.compute_loss = lambda b: (policy(b).pow(2).mean(), {})
    trainer._compute_grad_norm = lambda: torch.tensor(0.0)
    trainer.step_with_rollouts(None)
    applied = trainer.optimizer.applied[0][0]
    # the accumulated gradient the step should apply: the mean over the four micro-batches
    expected = torch.autograd.grad(sum(policy(b).pow(2).mean() for b in batches) / 4, policy.weight)[0]
    err = gt.rel_err(applied, expected)
    return err > 1e-3, f"applied gradient vs the accumulated one: relative error {err:.3g}"


gt.main()
