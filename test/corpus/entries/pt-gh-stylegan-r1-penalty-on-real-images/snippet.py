import torch
import torch.nn.functional as F
from torch.autograd import grad


def train(args, dataset, generator, discriminator):
    for i in pbar:
        real_image = next(data_loader)

        b_size = real_image.size(0)
        real_image = real_image.cuda()

        if args.loss == 'r1':
            real_image.requires_grad = True
            real_scores = discriminator(real_image, step=step, alpha=alpha)
            real_predict = F.softplus(-real_scores).mean()
            real_predict.backward(retain_graph=True)

            grad_real = grad(
                outputs=real_scores.sum(), inputs=real_image, create_graph=True
            )[0]
            grad_penalty = (
                grad_real.view(grad_real.size(0), -1).norm(2, dim=1) ** 2
            ).mean()
            grad_penalty = 10 / 2 * grad_penalty
            grad_penalty.backward()

        d_optimizer.step()
