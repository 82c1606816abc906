import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torch.optim as optim  # noqa: E402

CASE = "pt-repo-philtabor-dqn-target-from-separate-net"


class DeepQNetwork(nn.Module):
    """DQN/deep_q_network.py of the repository (checkpoint code left out), on a small input."""

    def __init__(self, lr, n_actions, name, input_dims, chkpt_dir):
        super().__init__()
        self.conv1 = nn.Conv2d(input_dims[0], 32, 8, stride=4)
        self.conv2 = nn.Conv2d(32, 64, 4, stride=2)
        self.conv3 = nn.Conv2d(64, 64, 3, stride=1)
        with torch.no_grad():
            fc_input_dims = int(np.prod(self.conv3(self.conv2(self.conv1(torch.zeros(1, *input_dims)))).size()))
        self.fc1 = nn.Linear(fc_input_dims, 512)
        self.fc2 = nn.Linear(512, n_actions)
        self.optimizer = optim.RMSprop(self.parameters(), lr=lr)
        self.loss = nn.MSELoss()
        self.device = torch.device("cpu")

    def forward(self, state):
        conv1 = F.relu(self.conv1(state))
        conv2 = F.relu(self.conv2(conv1))
        conv3 = F.relu(self.conv3(conv2))
        conv_state = conv3.view(conv3.size()[0], -1)
        flat1 = F.relu(self.fc1(conv_state))
        return self.fc2(flat1)


class ReplayBuffer:
    """DQN/replay_memory.py of the repository (np.bool spelled bool for NumPy >= 1.24)."""

    def __init__(self, max_size, input_shape, n_actions):
        self.mem_size = max_size
        self.mem_cntr = 0
        self.state_memory = np.zeros((self.mem_size, *input_shape), dtype=np.float32)
        self.new_state_memory = np.zeros((self.mem_size, *input_shape), dtype=np.float32)
        self.action_memory = np.zeros(self.mem_size, dtype=np.int64)
        self.reward_memory = np.zeros(self.mem_size, dtype=np.float32)
        self.terminal_memory = np.zeros(self.mem_size, dtype=bool)

    def store_transition(self, state, action, reward, state_, done):
        index = self.mem_cntr % self.mem_size
        self.state_memory[index] = state
        self.new_state_memory[index] = state_
        self.action_memory[index] = action
        self.reward_memory[index] = reward
        self.terminal_memory[index] = done
        self.mem_cntr += 1

    def sample_buffer(self, batch_size):
        max_mem = min(self.mem_cntr, self.mem_size)
        batch = np.random.choice(max_mem, batch_size, replace=False)
        return (self.state_memory[batch], self.action_memory[batch], self.reward_memory[batch],
                self.new_state_memory[batch], self.terminal_memory[batch])


@gt.case(CASE)
def _():
    # The repository's own modules are stood in by copies of their code (the conv network on a 1x36x36 input).
    m1, m2 = types.ModuleType("deep_q_network"), types.ModuleType("replay_memory")
    m1.DeepQNetwork, m2.ReplayBuffer = DeepQNetwork, ReplayBuffer
    sys.modules["deep_q_network"], sys.modules["replay_memory"] = m1, m2
    torch.manual_seed(0)
    np.random.seed(0)
    ns = gt.exec_snippet(__file__)
    agent = ns["DQNAgent"](gamma=0.99, epsilon=1.0, lr=1e-4, n_actions=4, input_dims=(1, 36, 36),
                           mem_size=64, batch_size=16, algo="DQNAgent", env_name="test")
    rng = np.random.default_rng(0)
    for i in range(40):
        agent.memory.store_transition(rng.random((1, 36, 36)), int(rng.integers(4)), float(rng.random()),
                               rng.random((1, 36, 36)), bool(i % 5 == 0))
    agent.replace_target_cnt = 1000
    # Reference: the same TD loss with the target explicitly detached, on a copy of the online network.
    np.random.seed(1)
    states, actions, rewards, states_, dones = agent.sample_memory()
    agent.q_next.load_state_dict(agent.q_eval.state_dict())
    idx = np.arange(agent.batch_size)
    q_pred = agent.q_eval.forward(states)[idx, actions]
    with torch.no_grad():
        q_next = agent.q_next.forward(states_).max(dim=1)[0]
        q_next[dones] = 0.0
        q_target = rewards + agent.gamma * q_next
    agent.q_eval.zero_grad()
    nn.MSELoss()(q_target, q_pred).backward()
    ref = [p.grad.clone() for p in agent.q_eval.parameters()]
    # The quoted learn(): same batch (same seed), target not detached, in-place q_next[dones] = 0.0.
    np.random.seed(1)
    stepped = {}
    step = agent.q_eval.optimizer.step
    agent.q_eval.optimizer.step = lambda: stepped.setdefault("grads", [p.grad.clone() for p in agent.q_eval.parameters()])
    err = gt.raises(agent.learn)
    agent.q_eval.optimizer.step = step
    if err is not None:
        return True, f"learn() raised {err}"
    diff = max(float((a - b).abs().max()) for a, b in zip(stepped["grads"], ref))
    scale = max(float(b.abs().max()) for b in ref)
    return diff > 1e-6 * max(scale, 1e-12), (
        f"online-network gradient of the quoted learn() vs a detached target: max diff {diff:.3g} (scale {scale:.3g}); no error")


gt.main()
