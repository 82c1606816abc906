from jax import lax, pmap, jit, grad, vmap
import jax.numpy as jnp


class PINNs:
    def get_solution(self, params, t, x):
        x = jnp.stack([t, x])
        u = self.model.apply({'params': params}, x)
        return u[0]

    def get_losses(self, params, batch):
        u0_pred = vmap(self.get_solution, in_axes=(None, 0, 0))(params, self.IC[1], self.IC[2])
        ic_loss = jnp.mean((u0_pred - self.IC[0])**2)

        res = vmap(self.get_residual, in_axes=(None, 0, 0))(params, batch[:, 0], batch[:, 1])
        res_loss = jnp.mean(res**2)

        losses = {'ic': ic_loss, 'res': res_loss}
        return losses


# pdes/allen_cahn/model.py
class Allen_Cahn(PINNs):
    def get_residual(self, params, t, x):
        u = self.get_solution(params, t, x)
        u_t = grad(self.get_solution, argnums=1)(params, t, x)
        u_xx = grad(grad(self.get_solution, argnums=2), argnums=2)(params, t, x)

        residual = u_t - self.a * u - self.v * u_xx + self.a * (u ** 3)
        return residual
