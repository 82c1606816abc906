class MetaLearingClassification(nn.Module):
    """
    MetaLearingClassification Learner
    """

    def __init__(self, args, config, treatment):

        super(MetaLearingClassification, self).__init__()

        self.update_lr = args.update_lr
        self.meta_lr = args.meta_lr
        self.update_step = args.update_step

        if treatment == "Neuromodulation":
            neuromodulation = True
        else:
            neuromodulation = False

        self.net = Learner.Learner(config, neuromodulation)
        self.optimizer = optim.Adam(self.net.parameters(), lr=self.meta_lr)
        self.meta_iteration = 0

    def inner_update(self, x, fast_weights, y, bn_training):

        logits = self.net(x, fast_weights, bn_training=bn_training)
        loss = F.cross_entropy(logits, y)

        if fast_weights is None:
            fast_weights = self.net.parameters()

        grad = torch.autograd.grad(loss, fast_weights, allow_unused=False)

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
        fast_weights = self.inner_update(x_traj[0], None, y_traj[0], False)
        
        for k in range(1, self.update_step):
            # Doing inner updates using fast weights
            fast_weights = self.inner_update(x_traj[k], fast_weights, y_traj[k], False)
        
        meta_loss, logits = self.meta_loss(x_rand[0], fast_weights, y_rand[0], False)

        # Taking the meta gradient step
    
        self.net.zero_grad()

        NM_reset = False
    
        if NM_reset:

            layers_to_reset = list(range(14, 28))
            grads = torch.autograd.grad(meta_loss, self.net.parameters())
        
            for idx in range(len(self.net.parameters())):
                if idx in layers_to_reset:
                    self.net.parameters()[idx].grad = None
                else:
                    self.net.parameters()[idx].grad = grads[idx]
        else:
            meta_loss.backward()

        self.optimizer.step()

        self.meta_iteration += 1

        return meta_loss
