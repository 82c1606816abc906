class MDCalculator(nn.Module):
    def __init__(
        self,
        required_properties: List,
        force_label: str,
        energy_units: Union[str, float],
        position_units: Union[str, float],
        energy_label: Optional[str] = None,
        stress_label: Optional[str] = None,
        property_conversion: Dict[str, Union[str, float]] = {},
        gradients_required: bool = False,
    ):
        super(MDCalculator, self).__init__()
        # Get required properties and filter non-unique entries
        self.required_properties = list(set(required_properties))

        if force_label not in self.required_properties:
            self.required_properties.append(force_label)

        if energy_label is not None and energy_label not in self.required_properties:
            self.required_properties.append(energy_label)

        if stress_label is not None and stress_label not in self.required_properties:
            self.required_properties.append(stress_label)

        self.results = {}

        self.energy_label = energy_label
        self.force_label = force_label
        self.stress_label = stress_label

        # Default conversion (1.0) for all units
        self.property_conversion = {p: 1.0 for p in self.required_properties}
        ...

        # set up gradient context for passing results
        if gradients_required:
            self.grad_context = nullcontext()
        else:
            self.grad_context = torch.no_grad()


    ...

    def _update_system(self, system: System):
        """
        Routine, which looks in self.results for the properties defined in self.required_properties and uses them to
        update the forces and properties of the provided system. If required, reformatting is carried out here.

        Args:
            system (schnetpack.md.System): System object containing current state of the simulation.
        """
        with self.grad_context:
            # Collect all requested properties (including forces)
            for p in self.required_properties:
                if p not in self.results:
                    raise MDCalculatorError(
                        "Requested property {:s} not in " "results".format(p)
                    )
                else:
                    dim = self.results[p].shape
                    # Bring to general structure of MD code. Second dimension can be n_mol or n_mol x n_atoms.
                    system.properties[p] = (
                        self.results[p].view(system.n_replicas, -1, *dim[1:])
                        * self.property_conversion[p]
                    )

            # Set the forces for the system (at this point, already detached)
            self._set_system_forces(system)

            # Store potential energy to system if requested:
            if self.energy_label is not None:
                self._set_system_energy(system)

            # Set stress of the system if requested:
            if self.stress_label is not None:
                self._set_system_stress(system)
