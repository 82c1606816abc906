class RankLoss(nn.Module):
    def __init__(self, margin):
        super(RankLoss, self).__init__()
        self.margin = margin

    def forward(self, scores1, scores2, target):
        ps1 = F.softmax(scores1)[:, target.long().data]
        ps2 = F.softmax(scores2)[:, target.long().data]
        return torch.clamp(ps1 - ps2 + self.margin, min=0)


class Manager(object):
    def __init__(self, args, model):
        self.args = args
        self.cuda = args.cuda
        self.model = model
        self.criterion_class = nn.CrossEntropyLoss()
        self.criterion_rank = RankLoss(0.05)

    def do_batch(self, optimizer, batch, label, optimize_class=True):
        batch = Variable(batch)
        label = Variable(label)

        # Set grads to 0.
        self.model.zero_grad()

        # Do forward-backward.
        scores = self.model(batch)
        if optimize_class:
            for i in range(len(scores)-1, -1, -1):
                if optimize_class:
                    retain_graph = i > 0
                    self.criterion_class(scores[i], label).backward(retain_graph=retain_graph)
        else:
            for i in range(len(scores)-1, 0, -1):
                retain_graph = (i-1) > 0
                self.criterion_rank(scores[i-1], scores[i], label).backward(retain_graph=retain_graph)

        # Update params.
        optimizer.step()
