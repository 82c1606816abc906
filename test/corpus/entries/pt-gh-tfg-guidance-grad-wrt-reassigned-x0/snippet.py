@torch.enable_grad()
def get_guidance(self, x_need_grad, func=lambda x: x, post_process=lambda x:x, return_logp=False, check_grad=True, **kwargs):
    
    start_idx = self.args.batch_id * self.args.per_sample_batch_size
    end_idx = min((self.args.batch_id + 1) * self.args.per_sample_batch_size, len(self.images))

    if check_grad:
        check_grad_fn(x_need_grad)
    
    x_need_grad = func(x_need_grad)

    x = post_process(x_need_grad)

    mask = torch.ones_like(x)

    x_length = x.shape[-1]

    # mask 40 frames in the middle
    mask[:, :, :, x_length // 2 - 20 : x_length // 2 + 20] = 0

    noisy_images = self.images[start_idx:end_idx, ...].to(self.args.device) * mask

    # if mc is performed, noisy_images should have shape (mc_eps.shape[0], x0.shape[0], *x0.shape[1:])
    noisy_images = torch.cat([noisy_images for _ in range(x.shape[0] // noisy_images.shape[0])], dim=0)
    
    difference = noisy_images - x * mask

    # classifier returns log prob!
    log_probs = -torch.norm(difference, p=2, dim=(1, 2, 3))

    if return_logp:
        return log_probs

    grad = torch.autograd.grad(log_probs.sum(), x_need_grad)[0]

    return rescale_grad(grad, clip_scale=1.0, **kwargs)
