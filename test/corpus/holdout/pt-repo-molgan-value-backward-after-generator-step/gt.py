import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, numpy as np, torch, torch.nn as nn

CASE = "pt-repo-molgan-value-backward-after-generator-step"

B, N, E, A, ZD = 4, 5, 3, 4, 8  # batch, atoms, bond types, atom types, z size


class Gen(nn.Module):  # stand-in for MolGAN's Generator: dense body, edge and node heads
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(ZD, 16), nn.Tanh())
        self.edges_layer = nn.Linear(16, E * N * N)
        self.nodes_layer = nn.Linear(16, N * A)

    def forward(self, z):
        h = self.body(z)
        e = self.edges_layer(h).view(-1, E, N, N)
        e = ((e + e.permute(0, 1, 3, 2)) / 2).permute(0, 2, 3, 1)
        return e, self.nodes_layer(h).view(-1, N, A)


class Critic(nn.Module):  # stand-in for Discriminator / value network: (adj, hidden, node, activation)
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(N * N * E + N * A, 16), nn.Tanh())
        self.out = nn.Linear(16, 1)

    def forward(self, adj, hidden, node, activation=None):
        h = self.body(torch.cat([adj.reshape(adj.size(0), -1), node.reshape(node.size(0), -1)], 1))
        o = self.out(h)
        return (activation(o) if activation is not None else o), h


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    G, D, V = Gen(), Critic(), Critic()
    g_opt = torch.optim.Adam(G.parameters(), lr=1e-3)
    v_opt = torch.optim.Adam(V.parameters(), lr=1e-3)
    d_opt = torch.optim.Adam(D.parameters(), lr=1e-3)

    def postprocess(inputs, method, temperature=1.):  # the repo's 'softmax' branch
        return [torch.softmax(x / temperature, -1) for x in inputs]

    def reset_grad():
        g_opt.zero_grad(); d_opt.zero_grad(); v_opt.zero_grad()

    self = types.SimpleNamespace(
        G=G, D=D, V=V, postprocess=postprocess, post_method="softmax", device="cpu",
        reward=lambda mols: np.random.rand(B, 1).astype(np.float32),
        get_reward=lambda n, e, m: torch.rand(B, 1),
        reset_grad=reset_grad, g_optimizer=g_opt, v_optimizer=v_opt, n_critic=5)
    names = {"self": self, "torch": torch, "z": torch.randn(B, ZD),
             "a_tensor": torch.rand(B, N, N, E), "x_tensor": torch.rand(B, N, A), "mols": None,
             "cur_la": 0.5, "cur_step": 0, "train_val_test": "train"}
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None and "inplace operation" in err, f"train_step_V.backward() after g_optimizer.step(): {(err or 'no error')[:170]}"


gt.main()
