import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-sb3-ppo-advantage-std-single-sample"


def install_stand_ins():
    """gym and Stable-Baselines3 are not installed: the snippet's imports resolve to stand-ins (gt.OnPolicyStandIn
    is a small policy with its optimizer and a rollout buffer of 32 transitions)."""
    gym = types.ModuleType("gym")
    gym.spaces = types.SimpleNamespace(Discrete=type("Discrete", (), {}))
    sys.modules["gym"] = gym
    for name in ["stable_baselines3", "stable_baselines3.common"]:
        sys.modules[name] = types.ModuleType(name)
    opa = types.ModuleType("stable_baselines3.common.on_policy_algorithm")
    opa.OnPolicyAlgorithm = gt.OnPolicyStandIn
    sys.modules["stable_baselines3.common.on_policy_algorithm"] = opa


@gt.case(CASE)
def _():
    install_stand_ins()
    ns = gt.exec_snippet(__file__)
    algo = ns["PPO"]()
    # 32 transitions in mini-batches of 1: the size GH issue #325 reports (n_steps * n_envs not a multiple of the
    # batch size leaves a last mini-batch of one transition; here every mini-batch has one).
    algo.batch_size, algo.n_epochs = 1, 1
    algo.normalize_advantage, algo.clip_range_vf = True, None
    algo.ent_coef, algo.vf_coef, algo.max_grad_norm = 0.0, 0.5, 0.5
    err = gt.raises(algo.train)
    nan_params = sum(int(torch.isnan(p).any()) for p in algo.policy.parameters())
    total = len(list(algo.policy.parameters()))
    detail = f"parameters containing NaN: {nan_params}/{total}; train(): {(err or 'no error')[:160]}"
    return nan_params > 0, detail


gt.main()
