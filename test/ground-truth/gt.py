"""Shared measuring helpers for the PyTorch ground-truth fixtures.

Every PyTorch fixture under test/fixtures/lint/<CODE>/ is also a runnable script. It registers
its cases with ``@case("name")``; each case *measures the symptom itself* (a loss that does not
move, a derivative off by a factor against the analytic one, a raised error, a ``None`` gradient)
and returns ``(misbehaves, detail)``. ``main()`` runs them and prints, one per case::

    GROUND_TRUTH {"case": "<name>", "misbehaves": true|false, "detail": "<numbers>"}

A case that raises something it did not expect is reported with ``"misbehaves": null`` and an
``"error"`` field, and the script exits with status 1: the Node test treats that as a failure,
never as a pass for a bad fixture.

Fixtures import this file with::

    import os, sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
    import gt

Only the standard library, NumPy and PyTorch are used. Everything runs on the CPU, seeded, small.
"""

from __future__ import annotations

import json
import sys
import traceback
import warnings
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import torch

torch.set_num_threads(1)
warnings.filterwarnings("ignore")

Result = Tuple[bool, str]
_CASES: List[Tuple[str, Callable[[], Result]]] = []


def case(name: str) -> Callable[[Callable[[], Result]], Callable[[], Result]]:
    """Register a ground-truth case. The function returns ``(misbehaves, detail)``."""

    def register(fn: Callable[[], Result]) -> Callable[[], Result]:
        if any(n == name for n, _ in _CASES):
            raise ValueError(f"duplicate ground-truth case {name!r}")
        _CASES.append((name, fn))
        return fn

    return register


def report(name: str, misbehaves: Optional[bool], detail: str, error: Optional[str] = None) -> None:
    record = {"case": name, "misbehaves": misbehaves, "detail": detail}
    if error is not None:
        record["error"] = error
    print("GROUND_TRUTH " + json.dumps(record), flush=True)


def main(only: Optional[Sequence[str]] = None) -> None:
    """Run every registered case (or those named in ``only``/argv) and print one line each."""
    wanted = list(only) if only else sys.argv[1:]
    failed = False
    for name, fn in _CASES:
        if wanted and name not in wanted:
            continue
        torch.manual_seed(0)
        np.random.seed(0)
        try:
            misbehaves, detail = fn()
        except Exception as exc:  # an unexpected error is a broken case, not a verdict
            failed = True
            report(name, None, "", error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            continue
        if not isinstance(misbehaves, bool):
            failed = True
            report(name, None, detail, error="case returned a non-boolean verdict")
            continue
        report(name, misbehaves, detail)
    sys.exit(1 if failed else 0)


# ----------------------------------------------------------------------------------------------
# measuring helpers


def raises(fn: Callable[[], object]) -> Optional[str]:
    """Run ``fn``; return ``"<Type>: <message>"`` of the exception it raised, or None."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the error *is* the measurement
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


def rel_err(actual, expected) -> float:
    """max |actual - expected| / max(max |expected|, 1e-12), on tensors or arrays."""
    a = _np(actual)
    e = _np(expected)
    if a.shape != e.shape:
        raise ValueError(f"shape mismatch {a.shape} vs {e.shape}")
    return float(np.max(np.abs(a - e)) / max(float(np.max(np.abs(e))), 1e-12))


def ratio(actual, expected) -> float:
    """Median elementwise ratio actual/expected over entries where |expected| is not tiny."""
    a = _np(actual).ravel()
    e = _np(expected).ravel()
    keep = np.abs(e) > 1e-8 * max(float(np.max(np.abs(e))), 1e-30)
    return float(np.median(a[keep] / e[keep]))


def _np(t) -> np.ndarray:
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().double().numpy()
    return np.asarray(t, dtype=np.float64)


def input_grad(fn: Callable[..., torch.Tensor], *inputs: torch.Tensor) -> List[torch.Tensor]:
    """The gradients of ``fn(*inputs).sum()`` with respect to each input (float64 copies that require grad): the
    derivative a caller of a library function takes, kept out of the file that defines the function."""
    xs = [x.detach().double().requires_grad_(True) for x in inputs]
    out = fn(*xs)
    return list(torch.autograd.grad(out.sum(), xs, allow_unused=True))


def fd_gradient(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Per-row central finite differences of a row-wise map ``f: (N, d) -> (N,)`` (float64)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    for j in range(x.shape[1]):
        step = np.zeros_like(x)
        step[:, j] = h
        out[:, j] = (np.asarray(f(x + step)).reshape(-1) - np.asarray(f(x - step)).reshape(-1)) / (2 * h)
    return out


def mlp(d_in: int, d_out: int = 1, width: int = 16, act: Callable[[], torch.nn.Module] = torch.nn.Tanh,
        dtype: torch.dtype = torch.float64) -> torch.nn.Module:
    """A small seeded MLP, float64 by default so derivative checks are tight."""
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(d_in, width), act(), torch.nn.Linear(width, width), act(), torch.nn.Linear(width, d_out)
    ).to(dtype)


class FunctionalMLP(torch.nn.Module):
    """A seeded tanh MLP (float64) that can run with given weights, as meta-learning learners do:
    ``net(x)`` with its own parameters, ``net(x, weights)`` with a list of fast weights in their order."""

    def __init__(self, d_in: int = 1, width: int = 16, d_out: int = 1):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        self.w1 = torch.nn.Parameter(torch.randn(width, d_in, generator=g, dtype=torch.float64))
        self.b1 = torch.nn.Parameter(torch.zeros(width, dtype=torch.float64))
        self.w2 = torch.nn.Parameter(torch.randn(d_out, width, generator=g, dtype=torch.float64) * 0.3)

    def forward(self, x: torch.Tensor, weights=None) -> torch.Tensor:
        w1, b1, w2 = list(self.parameters()) if weights is None else weights
        return torch.nn.functional.linear(torch.tanh(torch.nn.functional.linear(x, w1, b1)), w2)


def param_grads(model: torch.nn.Module) -> List[torch.Tensor]:
    """Current ``.grad`` of every parameter (zeros where None)."""
    return [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]


def norm_of(tensors: Sequence[torch.Tensor]) -> float:
    return float(torch.sqrt(sum((t.double() ** 2).sum() for t in tensors)))


def fmt(x: float) -> str:
    return f"{x:.4g}"


# Helpers a fixture imports from this module, so that the linter sees a call of a function of another file
# (AGL019: a result of an imported helper is no model output unless the helper is given a model).
def one_hot(labels: torch.Tensor, n: int) -> torch.Tensor:
    """Labels as one-hot rows (AdverTorch's ``to_one_hot``): data, no graph."""
    return torch.nn.functional.one_hot(labels, n).float()


def finish_step(loss: torch.Tensor, opt: torch.optim.Optimizer) -> None:
    """The rest of a training iteration quoted up to its forward: backpropagate ``loss`` and step ``opt``."""
    loss.backward()
    opt.step()


class StepWatch:
    """Records, at every ``optimizer.step()``, whether each parameter's ``.grad`` equals the gradient the backward passes
    since the previous step produced (summed from hooks on the parameters): a loop that never zeroes steps on the sum
    of all earlier gradients, and the two differ from the second step on. ``verdict()`` gives ``(misbehaves, detail)``."""

    def __init__(self, optimizer: torch.optim.Optimizer, params) -> None:
        self.params = [p for p in params if p.requires_grad]
        self.fresh = [torch.zeros_like(p) for p in self.params]
        self.steps = 0
        self.stale_steps = 0
        self.worst = 0.0
        for i, p in enumerate(self.params):
            p.register_hook(self._hook(i))
        inner = optimizer.step

        def step(*args, **kwargs):
            self.steps += 1
            diff = 0.0
            for p, f in zip(self.params, self.fresh):
                g = p.grad if p.grad is not None else torch.zeros_like(p)
                diff = max(diff, float((g - f).abs().max()) / (float(f.abs().max()) + 1e-12))
            if diff > 1e-6:
                self.stale_steps += 1
            self.worst = max(self.worst, diff)
            self.fresh = [torch.zeros_like(p) for p in self.params]
            return inner(*args, **kwargs)

        optimizer.step = step  # type: ignore[assignment]

    def _hook(self, i: int):
        def hook(g: torch.Tensor) -> None:
            self.fresh[i] = self.fresh[i] + g.detach()

        return hook

    def verdict(self) -> Result:
        return self.stale_steps > 0, (
            f"{self.stale_steps} of {self.steps} steps applied a .grad other than the gradient of the backward passes "
            f"since the previous step (largest relative difference {fmt(self.worst)})"
        )


def watch_steps(optimizer: torch.optim.Optimizer, params) -> StepWatch:
    return StepWatch(optimizer, params)


def backward_into(outputs: torch.Tensor, grad: torch.Tensor) -> None:
    """The second stage of a two-stage backward: send ``grad`` (a detached copy's ``.grad``) back into ``outputs``."""
    outputs.backward(grad)


def optimizer(params, name: str, lr: float) -> torch.optim.Optimizer:
    """An optimizer chosen by name, as deepxde's ``optimizers.get`` makes one."""
    if name == "L-BFGS":
        return torch.optim.LBFGS(params, lr=lr, max_iter=2)
    return torch.optim.Adam(params, lr=lr)


def closure_step_vs_sgd(make_optimizer: Callable[..., object], lr: float = 0.1, steps: int = 2) -> Result:
    """Train with ``opt.step(closure)`` of an optimizer made by ``make_optimizer(params, lr)``, the closure
    re-evaluating the model and calling ``backward()`` as the torch.optim docs write it, and compare with
    ``torch.optim.SGD`` from the same weights on the same data (the training code lives apart from the
    optimizer's file, as in a project). Misbehaves when the step raises or the weights differ from SGD's."""
    import copy

    model = mlp(3, 1)
    ref = copy.deepcopy(model)
    torch.manual_seed(1)
    x, y = torch.rand(16, 3, dtype=torch.float64), torch.rand(16, 1, dtype=torch.float64)

    def run(net, opt):
        def closure():
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(net(x), y)
            loss.backward()
            return loss

        for _ in range(steps):
            opt.step(closure)

    err = raises(lambda: run(model, make_optimizer(model.parameters(), lr)))
    if err is not None:
        return True, f"step(closure) raised {err}"
    run(ref, torch.optim.SGD(ref.parameters(), lr=lr))
    diff = max(float((a - b).abs().max()) for a, b in zip(model.parameters(), ref.parameters()))
    return diff > 1e-10, f"max |w - w_sgd| after {steps} steps {fmt(diff)}"


def closure_steps(make_optimizer: Callable[..., object], steps: int = 5) -> Result:
    """Train a small model with ``opt.step(closure)`` of an optimizer made by ``make_optimizer(params)``, the
    closure zeroing the gradients, re-evaluating the model and calling ``backward()`` as the torch.optim docs
    write it. Misbehaves when a step raises or the loss does not fall."""
    model = mlp(3, 1)
    torch.manual_seed(1)
    x, y = torch.rand(32, 3, dtype=torch.float64), torch.rand(32, 1, dtype=torch.float64)
    opt = make_optimizer(model.parameters())

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        return loss

    before = float(torch.nn.functional.mse_loss(model(x), y))
    err = raises(lambda: [opt.step(closure) for _ in range(steps)])
    if err is not None:
        return True, f"step(closure) raised {err}"
    after = float(torch.nn.functional.mse_loss(model(x), y))
    return not after < before, f"loss {fmt(before)} -> {fmt(after)} after {steps} steps"


def apply(model: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """``model(x)``, called through a helper of another file: the result holds the model's graph."""
    return model(x)


def clone_module(model: torch.nn.Module) -> torch.nn.Module:
    """A copy whose parameters are differentiable clones of the original's (learn2learn's ``clone_module``):
    not leaves, their graph leads back to ``model``'s parameters."""
    import copy

    clone = copy.deepcopy(model)
    for name, p in model.named_parameters():
        _set_parameter(clone, name, p.clone())
    return clone


def update_module(model: torch.nn.Module, lr: float, grads) -> torch.nn.Module:
    """One gradient step taken out of place (learn2learn's ``maml_update``): each parameter becomes
    ``p - lr * g``, a new tensor whose graph leads back to ``p``."""
    for (name, p), g in zip(list(model.named_parameters()), grads):
        _set_parameter(model, name, p - lr * g)
    return model


def _set_parameter(model: torch.nn.Module, name: str, value: torch.Tensor) -> None:
    *path, leaf = name.split(".")
    owner = model
    for part in path:
        owner = getattr(owner, part)
    owner._parameters[leaf] = value


def rollout(policy: Callable[[torch.Tensor], torch.Tensor], states: torch.Tensor) -> torch.Tensor:
    """Episodes collected by running a policy (cherry's ``Runner.run``): actions taken with recording off,
    data without a graph."""
    with torch.no_grad():
        return torch.cat([states, policy(states)], dim=1)


# ----------------------------------------------------------------------------------------------
# Helpers of other files that the linter does not see (a project's `train_misc.py`, a library's)


def create_regularization_fns(args):
    """FFJORD's ``create_regularization_fns``: functions and their coefficients, made once (no tensors)."""
    fns = (lambda out: out.pow(2).mean(),)
    return fns, (float(getattr(args, "l2_coeff", 0.1)),)


def build_model_tabular(args, dims: int, regularization_fns=None) -> torch.nn.Module:
    """FFJORD's ``build_model_tabular``: builds a model (its weights require grad; no graph of its own)."""
    return mlp(dims, dims, width=8)


def get_model(args, dims: int) -> torch.nn.Module:
    """A project's ``get_model``: builds a model."""
    return mlp(dims, dims, width=8)


def get_regularization(model: torch.nn.Module, coeffs):
    """FFJORD's ``get_regularization``: one regularization term per coefficient, from the model's weights now."""
    return tuple(sum(p.pow(2).sum() for p in model.parameters()) for _ in coeffs)


def select_candidates(x_raw: torch.Tensor, y_raw: torch.Tensor, n: int):
    """BoTorch's ``initialize_q_batch_nonneg``: picks starting points among ``x_raw`` by their values ``y_raw``
    (the result is data taken from ``x_raw``, with no graph, whatever ``y_raw`` holds)."""
    idx = torch.topk(y_raw.detach().reshape(-1), n).indices
    return x_raw[idx].clone(), y_raw.detach()[idx]


class UpperConfidenceBound(torch.nn.Module):
    """An acquisition function of a surrogate model (BoTorch's ``ExpectedImprovement`` and the like): here the model's
    output plus a constant bonus."""

    def __init__(self, model: torch.nn.Module, beta: float = 0.1):
        super().__init__()
        self.model, self.beta = model, beta

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x).squeeze(-1) + self.beta


def optimize_acqf(acq_function, bounds: torch.Tensor, q: int, steps: int = 10):
    """BoTorch's ``optimize_acqf``: candidates that maximize an acquisition function within ``bounds``, found by a few
    gradient steps from random starts; returned without a graph, with their values."""
    lo, hi = bounds[0], bounds[1]
    x = (lo + (hi - lo) * torch.rand(q, bounds.shape[1], dtype=bounds.dtype)).requires_grad_(True)
    opt = torch.optim.Adam([x], lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        (-acq_function(x).sum()).backward()
        opt.step()
        with torch.no_grad():
            x.copy_(torch.max(torch.min(x, hi), lo))
    with torch.no_grad():
        return x.detach(), acq_function(x).detach()


class LinfStep:
    """MadryLab robustness's attacker steps: an object built from the original input that maps a parameterization to
    an image, takes a step and projects (no tensor itself, no graph of its own)."""

    def __init__(self, orig_input, eps, step_size):
        self.orig_input, self.eps, self.step_size = orig_input, eps, step_size

    def to_image(self, x):
        return x

    def step(self, x, g):
        return x + self.step_size * torch.sign(g)

    def project(self, x):
        return self.orig_input + torch.clamp(x - self.orig_input, -self.eps, self.eps)


STEPS = {"inf": LinfStep}


class SolverLayer:
    """A stand-in for a differentiable-optimization layer (Theseus's ``TheseusLayer``): it holds a solver object and
    draws samples of the solution for given weights through a solver's objective (``compute_samples(solver, ...)``)."""

    def __init__(self, solver):
        self.solver = solver

    def compute_samples(self, solver, weights, n_samples=4):
        return solver.objective(weights).unsqueeze(-1).repeat(1, n_samples)


class Solver:
    """A stand-in for a nonlinear least-squares optimizer class (Theseus's ``GaussNewton``): built from an objective."""

    def __init__(self, objective, max_iterations=10):
        self.objective = objective
        self.max_iterations = max_iterations


SOLVERS = {"gauss_newton": Solver}
OBJECTIVES = {"sin": torch.sin}
MODELS = {"linear": lambda n_in, n_out: torch.nn.Linear(n_in, n_out).double()}


# ----------------------------------------------------------------------------------------------
# Reinforcement learning algorithms, without Stable-Baselines3


class _Actor(torch.nn.Module):
    def __init__(self, obs_dim, act_dim):
        super().__init__()
        self.mu = torch.nn.Linear(obs_dim, act_dim)
        self.log_std = torch.nn.Parameter(torch.zeros(act_dim))

    def action_log_prob(self, obs):
        dist = torch.distributions.Normal(self.mu(obs), self.log_std.exp())
        action = dist.rsample()
        return torch.tanh(action), dist.log_prob(action).sum(-1)


class _Critic(torch.nn.Module):
    def __init__(self, obs_dim, act_dim):
        super().__init__()
        self.q1 = torch.nn.Linear(obs_dim + act_dim, 1)
        self.q2 = torch.nn.Linear(obs_dim + act_dim, 1)

    def forward(self, obs, actions):
        x = torch.cat([obs, actions], dim=1)
        return self.q1(x), self.q2(x)


class _ReplayBuffer:
    def __init__(self, obs_dim, act_dim):
        self.obs_dim, self.act_dim = obs_dim, act_dim

    def sample(self, batch_size, env=None):
        from types import SimpleNamespace

        return SimpleNamespace(
            observations=torch.randn(batch_size, self.obs_dim),
            actions=torch.rand(batch_size, self.act_dim) * 2 - 1,
            next_observations=torch.randn(batch_size, self.obs_dim),
            rewards=torch.randn(batch_size, 1),
            dones=torch.zeros(batch_size, 1),
        )


class OffPolicyStandIn:
    """A stand-in for Stable-Baselines3's ``OffPolicyAlgorithm`` as its SAC sees it: an actor and twin critics that
    each carry their ``optimizer``, a target critic, a replay buffer with ``sample(batch_size, env=...)``."""

    def __init__(self, obs_dim=3, act_dim=2):
        import copy

        self.actor = _Actor(obs_dim, act_dim)
        self.actor.optimizer = torch.optim.Adam(self.actor.parameters(), lr=1e-3)
        self.critic = _Critic(obs_dim, act_dim)
        self.critic.optimizer = torch.optim.Adam(self.critic.parameters(), lr=1e-3)
        self.critic_target = copy.deepcopy(self.critic)
        self.replay_buffer = _ReplayBuffer(obs_dim, act_dim)
        self._vec_normalize_env = None
        self.gamma = 0.99
        self.ent_coef_tensor = torch.tensor(0.1)


class _Policy(torch.nn.Module):
    def __init__(self, obs_dim, n_actions):
        super().__init__()
        self.pi = torch.nn.Linear(obs_dim, n_actions)
        self.v = torch.nn.Linear(obs_dim, 1)
        self.optimizer = torch.optim.Adam(self.parameters(), lr=1e-3)

    def evaluate_actions(self, obs, actions):
        dist = torch.distributions.Categorical(logits=self.pi(obs))
        return self.v(obs).flatten(), dist.log_prob(actions), dist.entropy()


class _RolloutBuffer:
    def __init__(self, obs_dim, n_actions, size=32):
        from types import SimpleNamespace

        self.data = SimpleNamespace(
            observations=torch.randn(size, obs_dim),
            actions=torch.randint(0, n_actions, (size,)),
            old_log_prob=torch.full((size,), -0.7),
            advantages=torch.randn(size),
            returns=torch.randn(size),
        )

    def get(self, batch_size):
        from types import SimpleNamespace

        d = self.data
        for i in range(0, d.observations.shape[0], batch_size):
            yield SimpleNamespace(**{k: v[i : i + batch_size] for k, v in vars(d).items()})


class OnPolicyStandIn:
    """A stand-in for Stable-Baselines3's ``OnPolicyAlgorithm`` as its PPO sees it: a policy with ``evaluate_actions``
    and its ``optimizer``, a rollout buffer, and the clip range as a schedule of the remaining progress."""

    def __init__(self, obs_dim=3, n_actions=2):
        self.policy = _Policy(obs_dim, n_actions)
        self.rollout_buffer = _RolloutBuffer(obs_dim, n_actions)
        self.clip_range = lambda progress: 0.2 * progress
        self._current_progress_remaining = 1.0
        self.n_epochs = 2
        self.batch_size = 8


class MultivariateNormal(torch.distributions.MultivariateNormal):
    """A stand-in for GPyTorch's ``MultivariateNormal`` (a subclass of PyTorch's)."""


class GaussianLikelihood(torch.nn.Module):
    """A stand-in for GPyTorch's ``GaussianLikelihood``: a learnable noise, and the log marginal of observations under
    a normal distribution widened by it."""

    def __init__(self):
        super().__init__()
        self.raw_noise = torch.nn.Parameter(torch.zeros(1))

    @property
    def noise(self):
        return torch.nn.functional.softplus(self.raw_noise)

    def log_marginal(self, observations, mvn):
        var = mvn.variance + self.noise
        return torch.distributions.Normal(mvn.mean, var.sqrt()).log_prob(observations)


def integrate(field, y0, steps=4, dt=0.1):
    """A stand-in for an ODE/SDE solver of a library (``torchsde.sdeint_adjoint``, ``torchdiffeq.odeint``): Euler steps
    of ``dy = field(y) dt``; returns the states."""
    ys = [y0]
    for _ in range(steps):
        ys.append(ys[-1] + dt * field(ys[-1]))
    return torch.stack(ys)


# ----------------------------------------------------------------------------------------------
# Lightning, without Lightning


def lightning_stand_in():
    """A namespace with a ``LightningModule`` (an ``nn.Module``) for fixtures when Lightning is absent.

    ``Trainer(inference_mode=...).validate(module, batches)`` runs :func:`run_validation_like_lightning`.
    """

    class LightningModule(torch.nn.Module):
        pass

    class Trainer:
        """Keeps only what the evaluation loop needs: the ``inference_mode`` switch."""

        def __init__(self, inference_mode: bool = True, **_ignored):
            self.inference_mode = inference_mode

        def validate(self, module, batches):
            return run_validation_like_lightning(module, batches, inference_mode=self.inference_mode)

    class _Namespace:
        pass

    ns = _Namespace()
    ns.LightningModule = LightningModule  # type: ignore[attr-defined]
    ns.Trainer = Trainer  # type: ignore[attr-defined]
    return ns


def run_training_step_like_lightning(module, batch, batch_idx: int = 0):
    """One step of Lightning's automatic optimization: ``training_step``'s returned loss is backpropagated and the
    optimizer of ``configure_optimizers`` steps. Returns the loss."""
    module.train()
    opt = module.configure_optimizers()
    opt.zero_grad()
    loss = module.training_step(batch, batch_idx)
    loss.backward()
    opt.step()
    return loss


def run_validation_like_lightning(module, batches, inference_mode: bool = True):
    """Run ``validation_step`` the way Lightning's evaluation loop does: ``module.eval()`` and
    every step under ``torch.inference_mode()`` (Trainer default) or ``torch.no_grad()``
    (``Trainer(inference_mode=False)``). Returns the step outputs."""
    module.eval()
    outputs = []
    context = torch.inference_mode if inference_mode else torch.no_grad
    with context():
        for i, batch in enumerate(batches):
            outputs.append(module.validation_step(batch, i))
    module.train()
    return outputs


# ----------------------------------------------------------------------------------------------
# the real-world corpus (test/corpus/entries/<id>/gt.py)


def exec_snippet(gt_file: str, names: Optional[dict] = None, snippet: str = "snippet.py") -> dict:
    """Execute the entry's ``snippet.py`` (beside ``gt_file``) with ``names`` pre-defined.

    Returns the namespace after execution, so the case can read what the snippet computed. The
    snippet's own text runs unchanged: names it uses but does not define (a model, data, an
    optimizer) come from ``names``. Exceptions propagate (wrap in ``raises`` when the error is the
    symptom being measured).
    """
    import os

    path = os.path.join(os.path.dirname(os.path.abspath(gt_file)), snippet)
    # scripts/corpus-fixes.ts runs an entry's cases on the snippet as `lint --fix` left it.
    override = os.environ.get("AGL_GT_SNIPPET")
    if override and snippet == "snippet.py":
        path = override
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    namespace: dict = {"__name__": "snippet", "__file__": path}
    namespace.update(names or {})
    exec(compile(source, path, "exec"), namespace)  # noqa: S102 - the corpus snippet is the subject
    return namespace
