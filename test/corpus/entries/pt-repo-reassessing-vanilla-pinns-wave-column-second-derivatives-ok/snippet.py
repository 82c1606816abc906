class Wave(PDEBase):
    """Dirichlet BC (zero), IC: u(x,0) + u_t(x,0) = 0. Two-mode solution."""
    domain = [[0, 1], [0, 1]]

    def __init__(self, beta=3, device='cpu'):
        super().__init__(device)
        self.beta = beta
        self.display_name = f'Wave ($\\alpha=4, \\beta={beta}$)'

    def true_solution(self, x):
        return (torch.sin(math.pi * x[:, 0:1]) *
                torch.cos(2 * math.pi * x[:, 1:2]) +
                0.5 * torch.sin(self.beta * math.pi * x[:, 0:1]) *
                torch.cos(self.beta * 2 * math.pi * x[:, 1:2]))

    def compute_losses(self, model, points, b1, b2, b3, b4, pts_test, la_bc=1.0):
        pts = points.clone().requires_grad_(True)
        pred = model(pts)
        dy = torch.autograd.grad(pred, pts, torch.ones_like(pred), create_graph=True)[0]
        dy_x, dy_t = dy[:, 0:1], dy[:, 1:2]
        dy_xx = torch.autograd.grad(dy_x, pts, torch.ones_like(dy_x), create_graph=True)[0][:, 0:1]
        dy_tt = torch.autograd.grad(dy_t, pts, torch.ones_like(dy_t), create_graph=True)[0][:, 1:2]
        res = dy_tt - 4 * dy_xx
        pde_loss = torch.mean(res ** 2)

        bc_loss = torch.mean(model(b1) ** 2) + torch.mean(model(b2) ** 2)

        # IC: u(x,0) and u_t(x,0) = 0
        b3c = b3.clone().requires_grad_(True)
        pred_ic = model(b3c)
        dy_ic = torch.autograd.grad(pred_ic, b3c, torch.ones_like(pred_ic), create_graph=True)[0]
        true_ic = (torch.sin(math.pi * b3c[:, 0:1]) +
                   0.5 * torch.sin(self.beta * math.pi * b3c[:, 0:1]))
        ic_loss = torch.mean(dy_ic[:, 1:2] ** 2) + torch.mean((pred_ic - true_ic) ** 2)

        rrmse = self.compute_rrmse(model, pts_test, self.true_solution(pts_test))

        total = pde_loss + la_bc * bc_loss + ic_loss
        return total, dict(pde=pde_loss.item(), bc=bc_loss.item(),
                           ic=ic_loss.item(), rrmse=rrmse)
