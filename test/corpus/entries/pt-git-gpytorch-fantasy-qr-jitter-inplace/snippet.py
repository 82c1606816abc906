import torch


class DefaultPredictionStrategy(object):
    def get_fantasy_strategy(self, inputs, targets, full_inputs, full_targets, full_output, **kwargs):
        """Returns a new PredictionStrategy that incorporates the specified inputs and targets as new training data."""
        ...
        # Form new root Z = [L 0; lower_left schur_root]
        num_fant = schur_root.size(-2)
        m, n = L.shape[-2:]
        new_root = torch.zeros(*batch_shape, m + num_fant, n + num_fant, device=L.device, dtype=L.dtype)
        new_root[..., :m, :n] = L
        new_root[..., m:, :n] = lower_left
        new_root[..., m:, n:] = schur_root

        # Use pseudo-inverse of Z as new inv root
        try:
            Q, R = torch.qr(new_root)
            Rdiag = torch.diagonal(R, dim1=-2, dim2=-1)
            # if R is almost singular, add jitter (Rdiag is a view, so this works)
            zeroish = Rdiag.abs() < 1e-6
            if torch.any(zeroish):
                Rdiag[zeroish] = 1e-6
            new_covar_cache = torch.triangular_solve(Q.transpose(-2, -1), R)[0]
        except RuntimeError as e:
            # TODO: Deprecate once batch QR supported in latest torch stable
            if "invalid argument 1: A should be 2 dimensional" not in e.args[0]:
                raise e
            cap_mat = new_root.transpose(-2, -1).matmul(new_root)
            if cap_mat.requires_grad or new_root.requires_grad:
                new_covar_cache = torch.solve(new_root.transpose(-2, -1), cap_mat)[0]
            else:
                new_covar_cache = torch.cholesky_solve(new_root.transpose(-2, -1), torch.cholesky(cap_mat))
        new_covar_cache = new_covar_cache.transpose(-2, -1)
