def step(self: Trainer, variable: ϴ) -> Tuple[ϴ, Dict[str, X]]:

    params, prng = variable.get("params"), self.make_rng("sample")
    ϕ = self.pde.params.sample(prng, (self.cfg["bs"], ))

    @F.partial(jax.grad, has_aux=True)
    def loss(params: ϴ, ϕ: X) -> Tuple[X, Dict[str, X]]:

        loss = self.mod.apply(variable.copy(dict(params=params)), ϕ, method="loss")
        return jax.tree_util.tree_reduce(O.add, loss), loss

    grads, loss = jax.tree_map(F.partial(np.mean, axis=0),
                    utils.cmap(F.partial(loss, params), self.cfg["vmap"])(ϕ))

    if self.cfg["clip"] is not None:

        loss["norm"] = np.sqrt(sum(np.sum(np.square(grad))
              for grad in jax.tree_util.tree_leaves(grads)))

        grads = jax.tree_map(F.partial(jax.lax.cond, loss["norm"] < self.cfg["clip"],
              lambda grad: grad, lambda grad: grad / loss["norm"] * self.cfg["clip"]), grads)

    updates, state = self.optimizer.update(grads, self.get_variable("optim", "state"), params)

    self.put_variable("optim", "state", state)
    return variable.copy(dict(params=optax.apply_updates(params, updates))), loss
