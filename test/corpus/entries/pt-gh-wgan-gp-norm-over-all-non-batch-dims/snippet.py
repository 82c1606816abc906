gradient_penalty = ((gradients.norm(2, dim=(1,2,3)) - 1) ** 2).mean() * LAMBDA
