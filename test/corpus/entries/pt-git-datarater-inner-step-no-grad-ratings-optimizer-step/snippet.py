import torch
import torch.nn as nn


def inner_loop_step(config: DataRaterConfig,
                    inner_model, 
                    inner_optimizer, 
                    data_rater, 
                    inner_batch):
    """
    Performs a single training step for the inner model.
    """
    inner_model.train()
    data_rater.train()

    inner_samples, inner_labels = inner_batch
    inner_samples, inner_labels = inner_samples.to(
        config.device), inner_labels.to(config.device)

    # Zero gradients for the inner optimizer
    inner_optimizer.zero_grad()

    # Get ratings and compute weights for the current batch
    with torch.no_grad():  # Don't track gradients for data rater here
        ratings = data_rater(inner_samples)
        weights = torch.softmax(ratings, dim=0)

    # Get predictions from the inner model
    logits = inner_model(inner_samples)

    # Calculate per-sample cross-entropy loss and apply weights
    if config.loss_type == 'mse':
        per_sample_losses = nn.functional.mse_loss(logits, inner_labels, reduction='none')
    elif config.loss_type == 'cross_entropy':
        per_sample_losses = nn.functional.cross_entropy(
            logits, inner_labels, reduction='none')
    else:
        raise ValueError(f"Loss type {config.loss_type} not supported")
    weighted_loss = (per_sample_losses * weights).mean()
    # Update the inner model
    weighted_loss.backward()
    torch.nn.utils.clip_grad_norm_(inner_model.parameters(), config.grad_clip_norm)
    inner_optimizer.step()


def outer_loop_step(config: DataRaterConfig,
                    logging_context: LoggingContext,
                    data_rater, 
                    outer_optimizer, 
                    inner_models, 
                    inner_optimizers, 
                    train_iterator, 
                    val_iterator,
                    train_loader,
                    val_loader):
    """
    Performs one full meta-update step using a provided POPULATION of inner models.
    """
    # --- 1. Run the inner loop for each model in the provided population ---
    for model, optimizer in zip(inner_models, inner_optimizers):
        for _ in range(config.inner_steps):
            try:
                inner_batch = next(train_iterator)
            except StopIteration:
                train_iterator = iter(train_loader)
                inner_batch = next(train_iterator)

            inner_loop_step(config, model, optimizer, data_rater, inner_batch)

    # --- 2. Perform the outer update on the DataRater ---
    data_rater.train()
    for model in inner_models:
        model.eval()

    # Get a single outer batch to evaluate all models
    try:
        outer_samples, outer_labels = next(val_iterator)
    except StopIteration:
        val_iterator = iter(val_loader)
        outer_samples, outer_labels = next(val_iterator)
    outer_samples, outer_labels = outer_samples.to(
        config.device), outer_labels.to(config.device)

    # --- 3. Calculate and average the outer loss across the population ---
    outer_losses = []
    for model in inner_models:
        outer_logits = model(outer_samples)
        if config.loss_type == 'mse':
            outer_loss = nn.functional.mse_loss(outer_logits, outer_labels)
        elif config.loss_type == 'cross_entropy':
            outer_loss = nn.functional.cross_entropy(outer_logits, outer_labels)
        else:
            raise ValueError(f"Loss type {config.loss_type} not supported")
        outer_losses.append(outer_loss)

    average_outer_loss = torch.mean(torch.stack(outer_losses))

    # --- 4. Update the DataRater using the averaged loss ---
    outer_optimizer.zero_grad()
    average_outer_loss.backward()
    torch.nn.utils.clip_grad_norm_(data_rater.parameters(), config.grad_clip_norm)
    outer_optimizer.step()

    logging_context.outer_loss.append(average_outer_loss.item())

    return average_outer_loss.item()
