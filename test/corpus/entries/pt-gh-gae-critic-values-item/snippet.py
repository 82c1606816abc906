# Imports et reproductibilité
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import random

SEED = 42
DEVICE = 'cpu'  # CPU-only : toy env, MLP ~1.5k params, pas de GPU requis
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)

# L'environnement jouet : addition a+b (identique PT-08 / PT-09)
MAXD = 5                          # a, b dans {0..5}
DIGITS = MAXD + 1                 # 6 valeurs possibles chacun
N_ACTIONS = 2 * MAXD + 1          # sommes 0..10 (11 actions)

def make_problem(seed=None):
    """Tire un couple (a, b) et renvoie (one_hot_state, target_sum)."""
    local_rng = np.random.default_rng(seed)
    a = int(local_rng.integers(0, DIGITS))
    b = int(local_rng.integers(0, DIGITS))
    state = np.concatenate([np.eye(DIGITS)[a], np.eye(DIGITS)[b]])
    return state, a + b

class Policy(nn.Module):
    """Acteur (logits sur 11 actions) + value head (V(s) scalaire)."""
    def __init__(self, hidden=64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(2 * DIGITS, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
        )
        self.actor = nn.Linear(hidden, N_ACTIONS)
        self.critic = nn.Linear(hidden, 1)  # le mini-critic

    def forward(self, x):
        h = self.net(x)
        logits = self.actor(h)
        value = self.critic(h).squeeze(-1)
        return logits, value

def rollout(policy, n_prompts=32, K=4, seed=42):
    """Rollout multi-epoch K=4 (identique PT-08) : pour chaque prompt, on sample K actions.
    Retourne rewards (par prompt-par-K), log_probs, values."""
    rng_local = np.random.default_rng(seed)
    rewards, log_probs, values = [], [], []
    for _ in range(n_prompts):
        seed_i = int(rng_local.integers(0, 1_000_000))
        x, target = make_problem(seed=seed_i)
        xh = torch.tensor(x, dtype=torch.float32)
        for _ in range(K):
            logits, value = policy(xh)
            dist = torch.distributions.Categorical(logits=logits)
            a = dist.sample()
            log_prob = dist.log_prob(a)
            r = 1.0 if a.item() == target else 0.0
            rewards.append(r)
            log_probs.append(log_prob)
            values.append(value.item())
    return rewards, log_probs, values

def gae_advantage_1step(rewards, values):
    """Cas 1-step (terminal direct) : A_t = r_t - V(s_t).
    Note pedagogique : avec T=1 et bootstrap terminal = 0, le facteur (gamma*lambda)^l
    n'agit PAS car il n'y a qu'un seul l=0. Donc GAE(lambda=0) == GAE(lambda=0.95)
    sur ce toy env 1-step. C'est la these du notebook : lambda n'a de sens qu'en multi-step."""
    rewards_t = torch.tensor(rewards, dtype=torch.float32)
    values_t = torch.tensor(values, dtype=torch.float32)
    return (rewards_t - values_t).tolist()

def train_gae(n_epochs=4, n_prompts=32, K=4, seed=SEED, lr=5e-3, lambda_=0.95, vf_coef=0.5):
    """GAE with mini-critic. Le value head est entraîne via MSE sur les returns (= advantage + V(s))."""
    torch.manual_seed(seed); np.random.seed(seed); random.seed(seed)
    pol = Policy()
    opt = torch.optim.Adam(pol.parameters(), lr=lr)
    history = []
    for epoch in range(n_epochs):
        rewards, log_probs, values = rollout(pol, n_prompts, K, seed=seed+epoch)
        adv = gae_advantage_1step(rewards, values)
        adv_t = torch.tensor(adv, dtype=torch.float32)
        values_t = torch.tensor(values, dtype=torch.float32)
        # Policy gradient (meme formule que REINFORCE, juste l'avantage differe)
        pg_loss = torch.stack([-lp * a for lp, a in zip(log_probs, adv)]).mean()
        # Value loss : MSE entre V(s) et le return (= advantage + V(s), donc = reward ici)
        returns = adv_t + values_t
        v_loss = F.mse_loss(values_t, returns)
        loss = pg_loss + vf_coef * v_loss
        opt.zero_grad(); loss.backward(); opt.step()
        history.append({"epoch": epoch, "mean_reward": np.mean(rewards)})
    return history, pol
