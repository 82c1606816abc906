import torch


class HeatEquation(PDEBase):
    def compute_loss(self, model, x, t):
        # Initialize boundary loss
        boundary_loss = torch.tensor(0.0, device=self.device)
        num_boundary_points = max(len(x) // 10, 10)

        # Calculate time ranges based on domain
        t_max = self.config.time_domain[1]
        t_early = t_max * 0.01  # Use 1% of total time for early points

        # Generate more points near t=0 for better initial condition handling
        n_early = max(num_boundary_points // 4, 1)
        n_late = num_boundary_points - n_early
        t_boundary = torch.cat(
            [
                torch.linspace(0, t_early, n_early, device=self.device),
                torch.linspace(t_early, t_max, n_late, device=self.device),
            ]
        ).reshape(-1, 1)

        if self.dimension == 1:
            x_min_1d, x_max_1d = self.config.domain[0]
            x_left = torch.full((num_boundary_points, 1), x_min_1d, device=self.device)
            points_left = torch.cat([x_left, t_boundary], dim=1)
            points_left.requires_grad_(True)

            x_right = torch.full((num_boundary_points, 1), x_max_1d, device=self.device)
            points_right = torch.cat([x_right, t_boundary], dim=1)
            points_right.requires_grad_(True)

            u_left = model(points_left)
            u_right = model(points_right)

            du_dx_left = torch.autograd.grad(
                u_left, points_left, grad_outputs=torch.ones_like(u_left), create_graph=True
            )[0][:, 0:1]
            du_dx_right = torch.autograd.grad(
                u_right,
                points_right,
                grad_outputs=torch.ones_like(u_right),
                create_graph=True,
            )[0][:, 0:1]

            # Periodic BC: function and derivative match at endpoints.
            boundary_loss += self._apply_loss_fn(u_left - u_right)
            boundary_loss += self._apply_loss_fn(du_dx_left - du_dx_right)
        return boundary_loss
