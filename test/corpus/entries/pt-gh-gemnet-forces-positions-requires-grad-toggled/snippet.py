import torch
from torch_scatter import scatter


class GemNet(torch.nn.Module):
    ...

    def forward(self, inputs):
        Z, R = inputs["Z"], inputs["R"]
        id_a, id_c, id_undir, id_swap = (
            inputs["id_a"],
            inputs["id_c"],
            inputs["id_undir"],
            inputs["id_swap"],
        )
        ...
        batch_seg, Kidx4, Kidx3 = inputs["batch_seg"], None, inputs["Kidx3"]
        ...

        if not self.direct_forces:
            inputs["R"].requires_grad = True

        # Calculate distances
        D_ca, V_ca = self.calculate_interatomic_vectors(R, id_c, id_a)
        ...

        nMolecules = torch.max(batch_seg) + 1
        if self.extensive:
            E_a = scatter(E_a, batch_seg, dim=0, dim_size=nMolecules, reduce="add")
            # (nMolecules, num_targets)
        else:
            E_a = scatter(E_a, batch_seg, dim=0, dim_size=nMolecules, reduce="mean")
            # (nMolecules, num_targets)

        if self.direct_forces:
            ...
        else:

            if self.num_targets > 1:
                forces = []
                for i in range(self.num_targets):
                    # maybe this can be solved differently
                    forces += [
                        -torch.autograd.grad(
                            E_a[:, i].sum(), inputs["R"], create_graph=True
                        )[0]
                    ]
                F_j = torch.stack(forces, dim=1)
            else:
                F_j = -torch.autograd.grad(E_a.sum(), inputs["R"], create_graph=True)[0]

            inputs["R"].requires_grad = False

        return E_a, F_j  # (nMolecules, num_targets),  (nEdges, num_targets)
