coordinates = torch.tensor(self.atoms.get_positions())
coordinates = coordinates.to(self.device).to(self.dtype) \
                         .requires_grad_('forces' in properties)

if pbc_enabled:
    coordinates = utils.map2central(cell, coordinates, pbc)
    if self.overwrite and atoms is not None:
        atoms.set_positions(coordinates.detach().cpu().reshape(-1, 3).numpy())

if 'stress' in properties:
    scaling = torch.eye(3, requires_grad=True, dtype=self.dtype, device=self.device)
    coordinates = coordinates @ scaling
coordinates = coordinates.unsqueeze(0)

if pbc_enabled:
    if 'stress' in properties:
        cell = cell @ scaling
    energy = self.model((species, coordinates), cell=cell, pbc=pbc).energies
else:
    energy = self.model((species, coordinates)).energies

energy *= ase.units.Hartree
self.results['energy'] = energy.item()
self.results['free_energy'] = energy.item()

if 'forces' in properties:
    forces = -torch.autograd.grad(energy.squeeze(), coordinates)[0]
    self.results['forces'] = forces.squeeze(0).to('cpu').numpy()

if 'stress' in properties:
    volume = self.atoms.get_volume()
    stress = torch.autograd.grad(energy.squeeze(), scaling)[0] / volume
    self.results['stress'] = stress.cpu().numpy()
