# detach gradient because Dreamer doesn't update model with actor-critic loss
flatten_states = flatten_states.detach()
flatten_rnn_hiddens = flatten_rnn_hiddens.detach()

# prepare tensor to maintain imaginated trajectory's states and rnn_hiddens
imaginated_states = torch.zeros(args.imagination_horizon + 1,
                                *flatten_states.shape,
                                device=flatten_states.device)
imaginated_rnn_hiddens = torch.zeros(args.imagination_horizon + 1,
                                     *flatten_rnn_hiddens.shape,
                                     device=flatten_rnn_hiddens.device)
imaginated_states[0] = flatten_states
imaginated_rnn_hiddens[0] = flatten_rnn_hiddens

# compute imaginated trajectory using action from action_model
for h in range(1, args.imagination_horizon + 1):
    actions = action_model(flatten_states, flatten_rnn_hiddens)
    flatten_states_prior, flatten_rnn_hiddens = rssm.prior(flatten_states,
                                                           actions,
                                                           flatten_rnn_hiddens)
    flatten_states = flatten_states_prior.rsample()
    imaginated_states[h] = flatten_states
    imaginated_rnn_hiddens[h] = flatten_rnn_hiddens

# compute rewards and values corresponding to imaginated states and rnn_hiddens
flatten_imaginated_states = imaginated_states.view(-1, args.state_dim)
flatten_imaginated_rnn_hiddens = imaginated_rnn_hiddens.view(-1, args.rnn_hidden_dim)
imaginated_rewards = \
    reward_model(flatten_imaginated_states,
                 flatten_imaginated_rnn_hiddens).view(args.imagination_horizon + 1, -1)
imaginated_values = \
    value_model(flatten_imaginated_states,
                flatten_imaginated_rnn_hiddens).view(args.imagination_horizon + 1, -1)
# compute lambda target
lambda_target_values = lambda_target(imaginated_rewards, imaginated_values,
                                     args.gamma, args.lambda_)

# update_value model
value_loss = 0.5 * mse_loss(imaginated_values, lambda_target_values.detach())
value_optimizer.zero_grad()
value_loss.backward(retain_graph=True)
clip_grad_norm_(value_model.parameters(), args.clip_grad_norm)
value_optimizer.step()

# update action model (multiply -1 for gradient ascent)
action_loss = -1 * (lambda_target_values.mean())
action_optimizer.zero_grad()
action_loss.backward()
clip_grad_norm_(action_model.parameters(), args.clip_grad_norm)
action_optimizer.step()
