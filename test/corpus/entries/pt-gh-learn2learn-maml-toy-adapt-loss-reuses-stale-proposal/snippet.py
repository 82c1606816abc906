for t in range(TASKS_PER_STEP):
        # Sample a task
        task_params = task_dist.sample()
        mu_i, sigma_i = task_params[:DIM], task_params[DIM:]

        # Adaptation: Instanciate a copy of model
        learner = maml.clone()
        proposal = learner()

        # Adaptation: Compute and adapt to task loss
        loss = (mu_i - proposal.mean).pow(2).sum() + (sigma_i - proposal.variance).pow(2).sum()
        learner.adapt(loss)
        print(loss)

        # Adaptation: Evaluate the effectiveness of adaptation
        adapt_loss = (mu_i - proposal.mean).pow(2).sum() + (sigma_i - proposal.variance).pow(2).sum()
        print(adapt_loss)

        # Accumulate the error over all tasks
        step_loss += adapt_loss
