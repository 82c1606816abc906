import torch
import torch.nn as nn
class Net(nn.Module):
    def __init__(self, batch_norm):
        super().__init__()
        self.batch_norm = batch_norm
        self.act_fn = nn.Tanh()
        self.aff1 = nn.Linear(1, 10)
        self.aff2 = nn.Linear(10, 1)
        if batch_norm:
            self.bn = nn.BatchNorm1d(10, affine=False)  # False for simplicity
    def forward(self, x):
        x = self.aff1(x)
        x = self.act_fn(x)
        if self.batch_norm:
            x = self.bn(x)
        x = self.aff2(x)
        return x
x_vals = torch.linspace(0, 1, 100)
x_vals.requires_grad = True

for seed, bn, ax1 in zip([11, 7], [False, True], axs):  # different seeds for better illustration of effect
    net = Net(batch_norm=bn)

    pred = net(x_vals[:, None])
    pred_dx = torch.autograd.grad(pred.sum(), x_vals, create_graph=True)[0]
