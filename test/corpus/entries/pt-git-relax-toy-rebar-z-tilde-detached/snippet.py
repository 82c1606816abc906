import torch


def loss_func(b, t):
    return ((b - t) ** 2).mean(1)


def _get_z_tilde(logits, b, v):
    theta = torch.sigmoid(logits.detach())
    v_prime = v * (b - 1.) * (theta - 1.) + b * (v * theta + 1. - theta)
    z_tilde = logits.detach() + torch.log(v_prime) - torch.log1p(-v_prime)
    z_tilde.requires_grad_(True)
    return z_tilde


def rebar(
        f_b, b, logits, z, v, eta, log_temp, target, loss_func=loss_func,
        **kwargs):
    z_tilde = _get_z_tilde(logits, b, v)
    temp = torch.exp(log_temp).unsqueeze(0)
    sig_z = torch.sigmoid(z / temp)
    sig_z_tilde = torch.sigmoid(z_tilde / temp)
    f_z = loss_func(sig_z, target)
    f_z_tilde = loss_func(sig_z_tilde, target)
    log_prob = torch.distributions.Bernoulli(logits=logits).log_prob(b)
    d_log_prob = torch.autograd.grad(
        [log_prob], [logits], grad_outputs=torch.ones_like(log_prob))[0]
    # d z / d logits = 1, so d f_z / d logits = d f_z / d z
    d_f_z = torch.autograd.grad(
        [f_z], [z], grad_outputs=torch.ones_like(f_z),
        create_graph=True, retain_graph=True)[0]
    d_f_z_tilde = torch.autograd.grad(
        [f_z_tilde], [z_tilde], grad_outputs=torch.ones_like(f_z_tilde),
        create_graph=True, retain_graph=True)[0]
    diff = f_b.unsqueeze(1) - eta * f_z_tilde.unsqueeze(1)
    d_logits = diff * d_log_prob + eta * (d_f_z - d_f_z_tilde)
    var_loss = (d_logits ** 2).mean()
    var_loss.backward()
    return d_logits.detach()


def relax(f_b, b, logits, z, v, log_temp, q_func, **kwargs):
    z_tilde = _get_z_tilde(logits, b, v)
    temp = torch.exp(log_temp).unsqueeze(0)
    sig_z = torch.sigmoid(z / temp)
    sig_z_tilde = torch.sigmoid(z_tilde / temp)
    f_z = q_func(sig_z)[:, 0]
    f_z_tilde = q_func(sig_z_tilde)[:, 0]
    log_prob = torch.distributions.Bernoulli(logits=logits).log_prob(b)
    d_log_prob = torch.autograd.grad(
        [log_prob], [logits], grad_outputs=torch.ones_like(log_prob))[0]
    # d z / d logits = 1, so d f_z / d logits = d f_z / d z
    d_f_z = torch.autograd.grad(
        [f_z], [z], grad_outputs=torch.ones_like(f_z),
        create_graph=True, retain_graph=True)[0]
    d_f_z_tilde = torch.autograd.grad(
        [f_z_tilde], [z_tilde], grad_outputs=torch.ones_like(f_z_tilde),
        create_graph=True, retain_graph=True)[0]
    diff = f_b.unsqueeze(1) - f_z_tilde.unsqueeze(1)
    d_logits = diff * d_log_prob + d_f_z - d_f_z_tilde
    var_loss = (d_logits.mean(0) ** 2).mean()
    var_loss.backward()
    return d_logits.detach()


def run_toy_example(args=None):
    ...
    for i in range(args.iters):
        ...
        u = torch.rand(args.batch_size, args.num_latents)
        v = torch.rand(args.batch_size, args.num_latents)
        z = logits.detach() + torch.log(u) - torch.log1p(-u)
        # we detach/reattach the gradient here b/c we don't want to
        # propagate through 'logits'
        z.requires_grad_(True)
        b = z.gt(0.).type_as(z)
        f_b = loss_func(b, target)
        d_logits = estimator(
            f_b=f_b, b=b, u=u, v=v, z=z, target=target, logits=logits,
            log_temp=log_temp, eta=eta, q_func=q_func,
        )
        logits.backward(d_logits.mean(0))  # mean of batch
        ...
