import torch
import torch.nn as nn
from torch.autograd import Variable


class Trainer(object):
    def __init__(self, config):
        self.config = config
        ...
        if config.ranking:
            if config.fidelity:
                self.loss_fn = Fidelity_Loss()
            else:
                self.loss_fn = nn.BCEWithLogitsLoss()
        else:
            self.loss_fn = nn.MSELoss()
        self.loss_fn.to(self.device)

        if self.config.std_modeling:
            self.std_loss_fn = nn.MarginRankingLoss(margin=self.config.margin)
            self.std_loss_fn.to(self.device)
        ...
        self.optimizer = torch.optim.Adam(
            self.model.parameters(), lr=lr,
            weight_decay=5e-4)

    def _train_single_epoch(self, epoch):
        self.model.train()
        for step, sample_batched in enumerate(self.train_loader, 0):

            if step < self.start_step:
                continue

            x1, x2, g, gstd1, gstd2, yb = sample_batched['I1'], sample_batched['I2'], sample_batched['y'], sample_batched['std1'], sample_batched['std2'], sample_batched['yb']
            x1 = Variable(x1)
            x2 = Variable(x2)
            g = Variable(g).view(-1, 1)
            yb = Variable(yb).view(-1, 1)
            x1 = x1.to(self.device)
            x2 = x2.to(self.device)
            g = g.to(self.device)
            yb = yb.to(self.device)

            gstd1 = gstd1.to(self.device)
            gstd2 = gstd2.to(self.device)

            self.optimizer.zero_grad()
            if self.config.std_modeling:
                y1, y1_var = self.model(x1)
                y2, y2_var = self.model(x2)
                y_diff = y1 - y2

                if self.config.split_modeling:
                    p = torch.sigmoid(y_diff)
                else:
                    y_var = y1_var * y1_var + y2_var * y2_var + 1e-8
                    p = 0.5 * (1 + torch.erf(y_diff / torch.sqrt(2 * y_var.detach())))

                std_label = torch.sign((gstd1 - gstd2))
                self.std_loss = self.std_loss_fn(y1_var, y2_var, std_label.detach())
            else:
                y1 = self.model(x1)
                y2 = self.model(x2)
                y_diff = y1 - y2
                p = y_diff

            if self.config.fidelity:
                self.loss = self.loss_fn(p, g.detach())
            else:
                self.loss = self.loss_fn(p, yb.detach())
            if self.config.std_loss:
                self.loss += self.std_loss
            self.loss.backward()
            self.optimizer.step()

            running_loss = beta * running_loss + (1 - beta) * self.loss.data.item()
