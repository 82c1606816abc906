def fgm(x, net:nn.Module, eps:float=0.3, ordr=np.inf, y=None, 
        clip_min=None, clip_max=None, targeted=False, sanity_checks=True):
  if ordr not in [np.inf, 1, 2]:
    raise ValueError('Norm order must be either np.inf, 1, or 2.')

  if clip_min:
    assert torch.all(x > torch.tensor(clip_min, device=x.device, dtype=x.dtype))
  if clip_max:
    assert torch.all(x < torch.tensor(clip_max, device=x.device, dtype=x.dtype))

  # x needs to have requires_grad set to True 
  # for its grad to be computed and stored properly in a backward call
  x = x.clone().detach().requires_grad_(True)
  if y is None:
    # Inplace operations not working for some bug #15070
    # TODO Update when fixed
    if len(x.shape) == 3: x = x.unsqueeze(0)
    _, y = torch.max(net(x), dim=1)

  # Compute loss
  crit = nn.CrossEntropyLoss()
  loss = crit(net(x), y)
  # If attack is targeted, minimize loss of target label rather than maximize
  # loss of correct label.
  if targeted:
    loss = -loss

  # Define gradient of loss wrt input
  loss.backward()
  opt_pert = optimize_linear(x.grad, eps, ordr)

  # Add perturbation to original example to obtain adversarial example
  adv_x = x + opt_pert

  # If clipping is needed, reset all values outside of [clip_min, clip_max]
  if (clip_min is not None) or (clip_max is not None):
    # We don't currently support one-sided clipping
    assert clip_min is not None and clip_max is not None
    adv_x = torch.clamp(adv_x, clip_min, clip_max)
  
