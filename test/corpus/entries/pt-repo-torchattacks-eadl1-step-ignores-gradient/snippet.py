import torch
import torch.nn as nn


class EADL1(Attack):
    def forward(self, images, labels):
        r"""
        Overridden.
        """

        images = images.clone().detach().to(self.device)
        labels = labels.clone().detach().to(self.device)

        if self.targeted:
            labels = self.get_target_label(images, labels)

        outputs = self.get_logits(images)
        ...
        # Initialization: x^{(0)} = y^{(0)} = x_0 in paper Algorithm 1 part
        x_k = images.clone().detach()
        y_k = nn.Parameter(images)

        # Start binary search
        for outer_step in range(self.binary_search_steps):

            ...
            lr = self.lr

            for iteration in range(self.max_iterations):
                # reset gradient
                if y_k.grad is not None:
                    y_k.grad.detach_()
                    y_k.grad.zero_()

                # Loss over images_parameters with only L2 same as CW
                # we don't update L1 loss with SGD because we use ISTA
                output = self.get_logits(y_k)
                L2_loss = self.L2_loss(y_k, images)

                cost = self.EAD_loss(output, y_one_hot, None, L2_loss, const)
                cost.backward(retain_graph=True)

                # Gradient step
                # images_parameter.data.add_(-lr, images_parameter.grad.data)
                self.global_step += 1
                with torch.no_grad():
                    y_k -= lr

                # Ploynomial decay of learning rate
                lr = self.lr * (1 - self.global_step / self.max_iterations)**0.5  # nopep8
                y_k, x_k = self.fast_ISTA(images, y_k, x_k)
