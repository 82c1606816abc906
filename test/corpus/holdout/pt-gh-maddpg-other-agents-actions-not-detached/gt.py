import os, sys, copy, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-maddpg-other-agents-actions-not-detached"
N_AGENTS, OBS, ACT = 2, 4, 2


def _utils_misc():
    # utils.misc of the repository: only the continuous-action path is run here, so these are never called.
    for name in ["utils", "utils.misc"]:
        sys.modules[name] = types.ModuleType(name)
    misc = sys.modules["utils.misc"]
    for f in ["soft_update", "average_gradients", "onehot_from_logits", "gumbel_softmax"]:
        setattr(misc, f, None)


def _agent():
    pol = torch.nn.Sequential(torch.nn.Linear(OBS, 16), torch.nn.ReLU(), torch.nn.Linear(16, ACT), torch.nn.Tanh())
    critic = torch.nn.Sequential(torch.nn.Linear(N_AGENTS * (OBS + ACT), 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    return types.SimpleNamespace(policy=pol, critic=critic, target_policy=copy.deepcopy(pol),
                                 target_critic=copy.deepcopy(critic),
                                 policy_optimizer=torch.optim.Adam(pol.parameters(), lr=0.01),
                                 critic_optimizer=torch.optim.Adam(critic.parameters(), lr=0.01))


def _maddpg(cls, agents):
    m = object.__new__(cls)
    m.nagents, m.alg_types, m.agents = N_AGENTS, ["MADDPG"] * N_AGENTS, agents
    m.gamma, m.discrete_action, m.niter = 0.95, False, 0
    return m


class _Detached(torch.nn.Module):
    def __init__(self, pi):
        super().__init__()
        self.pi = pi

    def forward(self, x):
        return self.pi(x).detach()


@gt.case(CASE)
def _():
    _utils_misc()
    ns = gt.exec_snippet(__file__)
    MADDPG = ns["MADDPG"]

    class DetachedOthers(MADDPG):
        """The issue's proposal: the other agents' actions enter the critic detached."""

        @property
        def policies(self):
            return [_Detached(a.policy) for a in self.agents]

    torch.manual_seed(0)
    agents = [_agent() for _ in range(N_AGENTS)]
    ref_agents = [copy.deepcopy(a) for a in agents]
    for a, r in zip(agents, ref_agents):  # fresh optimizers on the copies' own parameters
        r.policy_optimizer = torch.optim.Adam(r.policy.parameters(), lr=0.01)
        r.critic_optimizer = torch.optim.Adam(r.critic.parameters(), lr=0.01)
    as_is, proposed = _maddpg(MADDPG, agents), _maddpg(DetachedOthers, ref_agents)
    g = torch.Generator().manual_seed(1)
    for _ in range(3):
        sample = ([torch.randn(32, OBS, generator=g) for _ in range(N_AGENTS)],
                  [torch.rand(32, ACT, generator=g) * 2 - 1 for _ in range(N_AGENTS)],
                  [torch.randn(32, generator=g) for _ in range(N_AGENTS)],
                  [torch.randn(32, OBS, generator=g) for _ in range(N_AGENTS)],
                  [torch.zeros(32) for _ in range(N_AGENTS)])
        for a_i in range(N_AGENTS):  # the training script updates every agent in turn on the same sample
            as_is.update(sample, a_i)
            proposed.update(sample, a_i)
    diff = 0.0
    for a, r in zip(agents, ref_agents):
        for mod in ["policy", "critic"]:
            for p, q in zip(getattr(a, mod).parameters(), getattr(r, mod).parameters()):
                diff = max(diff, float((p - q).abs().max()))
    return diff > 1e-12, (f"after 3 rounds of updates of both agents, max |w - w_detached| = {diff:.3g}: the gradients the "
                          f"policy loss leaves on other agents' policies are zeroed before those agents step")


gt.main()
