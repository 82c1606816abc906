def forward(self, inputs: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    energy = inputs[self.energy_key]

    # Compute base level derivatives
    go: List[Optional[torch.Tensor]] = [torch.ones_like(energy)]
    basic_derivatives = grad(
        [energy],
        [inputs[prop] for prop in self.basic_derivatives.values()],
        grad_outputs=go,
        create_graph=(self.basic_graph_required or self.training),
        retain_graph=self.basic_graph_required,
    )
    # Convert to dictionary
    basic_derivatives = dict(zip(self.basic_derivatives.keys(), basic_derivatives))

    results = {}

    # ================================
    # dE / dR
    # ================================
    if self.derivative_instructions["dEdR"]:

        # basic distance derivatives
        if properties.forces in self.response_properties:
            results[properties.forces] = -basic_derivatives["dEdR"]

        if self.derivative_instructions["d2EdR2"]:
            d2EdR2 = derivative_from_atomic(
                basic_derivatives["dEdR"],
                inputs[properties.R],
                inputs[properties.n_atoms],
                create_graph=(self.graph_required["d2EdR2"] or self.training),
                retain_graph=True,
            )
            results[properties.hessian] = d2EdR2
    ...

    return results
