def single_loss_fn(params, position, E_target, F_target):
  l_nbrs = nbrs.update(position)
  E, G = value_and_grad(net.apply, argnums=1)(params, position, l_nbrs)
  return (E - E_target) ** 2, (G + F_target) ** 2
