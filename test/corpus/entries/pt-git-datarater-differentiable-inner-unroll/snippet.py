import torch
import torch.nn as nn

from torch.nn.utils.stateless import functional_call  # NEW

# --- NEW: Differentiable inner loop (manual SGD, no optim.step) ---
def call_with_fast(model, fast_params, x):
    params = dict(model.named_parameters())
    buffers = dict(model.named_buffers())
    # replace only params with fast ones; keep real buffers
    merged = {**buffers, **params}
    merged.update(fast_params)
    return functional_call(model, merged, (x,), strict=False)

def inner_unroll_differentiable(
    config: DataRaterConfig,
    inner_model: nn.Module,
    data_rater: nn.Module,
    train_iterator,
    train_loader,
    T: int,
):
    """
    Returns the 'fast' params after T differentiable SGD steps
    starting from the current inner_model params.
    """
    inner_model.train()
    data_rater.train()

    # Start from the model's current (base) parameters
    fast_params = {name: p.clone().detach().requires_grad_(True)
                   for name, p in inner_model.named_parameters()}

    tau = getattr(config, "rater_softmax_temperature", 1.0)  # optional config; default=1.0

    for _ in range(T):
        # Get next batch (wrap iterator if needed)
        try:
            inner_samples, inner_labels = next(train_iterator)
        except StopIteration:
            train_iterator = iter(train_loader)
            inner_samples, inner_labels = next(train_iterator)

        inner_samples = inner_samples.to(config.device)
        inner_labels = inner_labels.to(config.device)

        # Ratings *with* grad, softmax across batch (dim=0). Optional temperature.
        ratings = data_rater(inner_samples)                         # [B] or [B,1]
        weights = torch.softmax(ratings / tau, dim=0).squeeze(-1)   # [B]

        # Forward with fast params
        logits = call_with_fast(inner_model, fast_params, inner_samples)

        # Per-sample loss
        if config.loss_type == 'mse':
            per = nn.functional.mse_loss(logits, inner_labels, reduction='none')  # [B, ...]
            if per.ndim > 1:
                per = per.view(per.size(0), -1).mean(dim=1)
        elif config.loss_type == 'cross_entropy':
            per = nn.functional.cross_entropy(logits, inner_labels, reduction='none')  # [B]
        else:
            raise ValueError(f"Loss type {config.loss_type} not supported")

        # Weight across the batch; use sum (weights already sum to 1)
        inner_loss = (per * weights).sum()

        # Compute grads wrt fast params (keep graph to backprop into η via weights)
        grads = torch.autograd.grad(inner_loss, list(fast_params.values()),
                                    create_graph=True, retain_graph=True)

        # Optional grad clipping (by value to keep it simple here)
        max_norm = getattr(config, "grad_clip_norm", None)
        if max_norm is not None and max_norm > 0:
            # simple per-tensor clamp; for true norm clip you'd need to compute norms
            clipped_grads = []
            for g in grads:
                clipped_grads.append(torch.clamp(g, -max_norm, max_norm))
            grads = clipped_grads

        # Manual SGD update
        lr = config.inner_lr
        fast_params = {
            name: p - lr * g
            for (name, p), g in zip(fast_params.items(), grads)
        }

    return fast_params, train_iterator


# --- UPDATED: Outer step using differentiable inner unroll ---
def outer_loop_step(config: DataRaterConfig,
                    logging_context: LoggingContext,
                    data_rater,
                    outer_optimizer,
                    inner_models,         # list[nn.Module]
                    train_iterator,
                    val_iterator,
                    train_loader,
                    val_loader):
    """
    Performs one meta-update step using a POPULATION of inner models with
    differentiable inner updates.
    """
    data_rater.train()
    for m in inner_models:
        m.train()  # we will use training stats/buffers during inner unroll

    # Get one outer batch shared by all models
    try:
        outer_samples, outer_labels = next(val_iterator)
    except StopIteration:
        val_iterator = iter(val_loader)
        outer_samples, outer_labels = next(val_iterator)

    outer_samples = outer_samples.to(config.device)
    outer_labels = outer_labels.to(config.device)

    # Run inner unroll for each model -> fast params, then eval outer loss
    outer_losses = []
    for model in inner_models:
        fast_params, train_iterator = inner_unroll_differentiable(
            config, model, data_rater, train_iterator, train_loader, config.inner_steps
        )

        # Evaluate on outer batch using the fast params
        model.eval()
        outer_logits = call_with_fast(model, fast_params, outer_samples)

        if config.loss_type == 'mse':
            outer_loss = nn.functional.mse_loss(outer_logits, outer_labels)
        elif config.loss_type == 'cross_entropy':
            outer_loss = nn.functional.cross_entropy(outer_logits, outer_labels)
        else:
            raise ValueError(f"Loss type {config.loss_type} not supported")

        outer_losses.append(outer_loss)

    average_outer_loss = torch.mean(torch.stack(outer_losses))

    # Meta-step on η
    outer_optimizer.zero_grad()
    average_outer_loss.backward()
    torch.nn.utils.clip_grad_norm_(data_rater.parameters(), config.grad_clip_norm)
    outer_optimizer.step()

    logging_context.outer_loss.append(average_outer_loss.item())
    return average_outer_loss.item(), train_iterator, val_iterator
