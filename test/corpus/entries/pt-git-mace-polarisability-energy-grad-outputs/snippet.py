from typing import List, Optional, Tuple

import torch


@torch.jit.unused
def compute_forces_virials_field(
    energy: torch.Tensor,
    positions: torch.Tensor,
    displacement: torch.Tensor,
    electric_field: torch.Tensor,
    cell: torch.Tensor,
    training: bool = True,
    compute_stress: bool = False,
) -> Tuple[torch.Tensor, Optional[torch.Tensor], Optional[torch.Tensor]]:
    grad_outputs: List[Optional[torch.Tensor]] = [torch.ones_like(energy)]
    forces, virials, polarisation = torch.autograd.grad(
        outputs=[energy],  # [n_graphs, ]
        inputs=[positions, displacement, electric_field],  # [n_nodes, 3]
        grad_outputs=grad_outputs,
        retain_graph=True,  # Make sure the graph is not destroyed during training
        create_graph=True,  # Create graph for second derivative
        allow_unused=True,
    )

    stress = torch.zeros_like(displacement)
    if forces is None:
        forces = torch.zeros_like(positions)
    if virials is None:
        virials = torch.zeros((1, 3, 3))

    bec, polarisability = torch.autograd.grad(
        outputs=[polarisation],  # [n_graphs, 3]
        inputs=[positions, electric_field],  # [n_nodes, 3] [n_graphs, 3]
        grad_outputs=grad_outputs,
        retain_graph=training,  # Make sure the graph is not destroyed during training
        create_graph=training,  # Create graph for second derivative
        allow_unused=True,
    )

    return -1 * forces, -1 * virials, stress, polarisation, bec, polarisability
