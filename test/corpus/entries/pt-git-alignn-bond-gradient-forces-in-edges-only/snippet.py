from typing import Tuple, Union
from torch.autograd import grad
import dgl
import dgl.function as fn
import torch
from torch import nn


class ALIGNNAtomWise(nn.Module):
    """Atomistic Line graph network."""
    ...

    def forward(
        self, g: Union[Tuple[dgl.DGLGraph, dgl.DGLGraph], dgl.DGLGraph]
    ):
        """ALIGNN : start with `atom_features`."""
        ...
        r = g.edata["r"]
        if self.config.calculate_gradient:
            r.requires_grad_(True)

        # r = g.edata["r"].clone().detach().requires_grad_(True)
        bondlength = torch.norm(r, dim=1)
        ...
        gradient = torch.empty(1)
        stress = torch.empty(1)

        if self.config.calculate_gradient:
            create_graph = True
            # if config.normalize_graph_level_loss
            # print ('out',out)
            # print ('x',len(x))

            # tmp_out = out*len(x)
            # print ('tmp_out',tmp_out)
            if self.config.include_pos_deriv:
                # Not testes yet
                g.ndata["coords"].requires_grad_(True)
                dx = [g.ndata["coords"], r]
            else:
                dx = r
            if self.config.energy_mult_natoms:
                en_out = out * g.num_nodes()
            else:
                en_out = out
            dy = (
                self.config.grad_multiplier
                * grad(
                    en_out,
                    dx,
                    grad_outputs=torch.ones_like(out),
                    create_graph=create_graph,
                    retain_graph=True,
                )[0]
            )
            if self.config.force_mult_natoms:
                dy *= g.num_nodes()
            g.edata["dy_dr"] = dy
            g.update_all(fn.copy_e("dy_dr", "m"), fn.sum("m", "gradient"))
            gradient = torch.squeeze(g.ndata["gradient"])
        ...
