from jax import grad, vmap

from jaxpi.models import ForwardIVP


class NavierStokes2D(ForwardIVP):
    def __init__(self, config, inflow_fn, temporal_dom, coords, Re):
        super().__init__(config)

        self.inflow_fn = inflow_fn
        self.temporal_dom = temporal_dom
        self.coords = coords
        self.Re = Re  # Reynolds number

        # Non-dimensionalized domain length and width
        self.L, self.W = self.coords.max(axis=0) - self.coords.min(axis=0)

        self.u_pred_fn = vmap(self.u_net, (None, 0, 0, 0))
        self.r_pred_fn = vmap(self.r_net, (None, 0, 0, 0))

    def neural_net(self, params, t, x, y):
        t = t / self.temporal_dom[1]  # rescale t into [0, 1]
        x = x / self.L  # rescale x into [0, 1]
        y = y / self.W  # rescale y into [0, 1]
        inputs = jnp.stack([t, x, y])
        outputs = self.state.apply_fn(params, inputs)

        # Start with an initial state of the channel flow
        y_hat = y * self.L_star * self.W
        u = outputs[0] + 4 * 1.5 * y_hat * (0.41 - y_hat) / (0.41**2)
        v = outputs[1]
        p = outputs[2]
        return u, v, p

    def u_net(self, params, t, x, y):
        u, _, _ = self.neural_net(params, t, x, y)
        return u

    def v_net(self, params, t, x, y):
        _, v, _ = self.neural_net(params, t, x, y)
        return v

    def p_net(self, params, t, x, y):
        _, _, p = self.neural_net(params, t, x, y)
        return p

    def r_net(self, params, t, x, y):
        u, v, p = self.neural_net(params, t, x, y)

        u_t = grad(self.u_net, argnums=1)(params, t, x, y)
        v_t = grad(self.v_net, argnums=1)(params, t, x, y)

        u_x = grad(self.u_net, argnums=2)(params, t, x, y)
        v_x = grad(self.v_net, argnums=2)(params, t, x, y)
        p_x = grad(self.p_net, argnums=2)(params, t, x, y)

        u_y = grad(self.u_net, argnums=3)(params, t, x, y)
        v_y = grad(self.v_net, argnums=3)(params, t, x, y)
        p_y = grad(self.p_net, argnums=3)(params, t, x, y)

        u_xx = grad(grad(self.u_net, argnums=2), argnums=2)(params, t, x, y)
        v_xx = grad(grad(self.v_net, argnums=2), argnums=2)(params, t, x, y)

        u_yy = grad(grad(self.u_net, argnums=3), argnums=3)(params, t, x, y)
        v_yy = grad(grad(self.v_net, argnums=3), argnums=3)(params, t, x, y)

        # PDE residual
        ru = u_t + u * u_x + v * u_y + p_x - (u_xx + u_yy) / self.Re
        rv = v_t + u * v_x + v * v_y + p_y - (v_xx + v_yy) / self.Re
        rc = u_x + v_y
        return ru, rv, rc
