from .backend import backend_name, tf, torch, jax


class Jacobian:
    def __init__(self, ys, xs):
        self.ys = ys
        self.xs = xs
        # For backend jax, a tuple of a jax array and a callable is passed as one of
        # the arguments, since jax does not support computational graph explicitly.
        self.dim_y = ys[0].shape[1]
        self.dim_x = xs.shape[1]

        self.J = {}

    def __call__(self, i=0, j=None):
        # Compute J[i]
        if i not in self.J:
            grad_fn = jax.grad(lambda x: self.ys[1](x)[i])
            self.J[i] = (jax.vmap(grad_fn)(self.xs), grad_fn)

        # Unlike other backends, in backend jax, a tuple of a jax array and a callable is returned, so that
        # it is consistent with the argument, which is also a tuple. This may be useful for further computation,
        # e.g. Hessian.
        return (
            self.J[i]
            if j is None or self.dim_x == 1
            else (
                self.J[i][0][j : j + 1],
                lambda inputs: self.J[i][1](inputs)[j : j + 1],
            )
        )
