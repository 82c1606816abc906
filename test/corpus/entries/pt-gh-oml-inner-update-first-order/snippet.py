# model/learner.py (trimmed to the linear and relu layers)
import torch
from torch import nn
from torch.nn import functional as F
from torch import optim


class Learner(nn.Module):

    def __init__(self, config):
        super(Learner, self).__init__()
        self.config = config
        self.vars = nn.ParameterList()
        for i, (name, param) in enumerate(self.config):
            if name == 'linear':
                w = nn.Parameter(torch.ones(*param))
                torch.nn.init.kaiming_normal_(w)
                self.vars.append(w)
                self.vars.append(nn.Parameter(torch.zeros(param[0])))

    def forward(self, x, vars=None, bn_training=True, feature=False):
        if vars is None:
            vars = self.vars
        idx = 0
        for name, param in self.config:
            if name == 'linear':
                w, b = vars[idx], vars[idx + 1]
                x = F.linear(x, w, b)
                idx += 2
            elif name == 'relu':
                x = F.relu(x, inplace=param[0])
        return x

    def parameters(self):
        return self.vars


# model/meta_learner.py
class MetaLearingClassification(nn.Module):

    def __init__(self, args, config):
        super(MetaLearingClassification, self).__init__()
        self.update_lr = args.update_lr
        self.meta_lr = args.meta_lr
        self.update_step = args.update_step
        self.net = Learner(config)
        self.optimizer = optim.Adam(self.net.parameters(), lr=self.meta_lr)

    def inner_update(self, x, fast_weights, y, bn_training):

        logits = self.net(x, fast_weights, bn_training=bn_training)
        loss = F.cross_entropy(logits, y)
        if fast_weights is None:
            fast_weights = self.net.parameters()
        #
        grad = torch.autograd.grad(loss, fast_weights)

        fast_weights = list(
            map(lambda p: p[1] - self.update_lr * p[0] if p[1].learn else p[1], zip(grad, fast_weights)))

        for params_old, params_new in zip(self.net.parameters(), fast_weights):
            params_new.learn = params_old.learn

        return fast_weights

    def meta_loss(self, x, fast_weights, y, bn_training):

        logits = self.net(x, fast_weights, bn_training=bn_training)
        loss_q = F.cross_entropy(logits, y)
        return loss_q, logits

    def forward(self, x_traj, y_traj, x_rand, y_rand):
        meta_losses = [0 for _ in range(self.update_step + 1)]

        fast_weights = self.inner_update(x_traj[0], None, y_traj[0], True)

        for k in range(1, self.update_step):
            fast_weights = self.inner_update(x_traj[k], fast_weights, y_traj[k], True)

            meta_loss, logits = self.meta_loss(x_rand[0], fast_weights, y_rand[0], False)
            meta_losses[k + 1] += meta_loss

        self.optimizer.zero_grad()
        meta_loss = meta_losses[-1]
        meta_loss.backward()

        self.optimizer.step()
