# Run the DFTB calculation
dftb_calculator(geometries, orbs)
# Force on all of the atoms    
# First, compute the sum of the energies across all the molecules    
# This is not the energy of any particular molecule, it's an artificial sum
# across a batch
total_energy = predicted_energy_uncorrected.sum()
# Then, differentiate this total with respect to all the positions in the batch
# Because the energy of a molecule does not depend on the positions of other
# molecules, this is the same as differentiating individual energies with
# respect to the positions
# I really don't know why it returns a tuple, but there's only one element
# in it, so unwrapping it
dEpdr, = torch.autograd.grad(total_energy, geometries.positions)
# Forces for all atoms, not just in one particular molecule
# Force is negative derivative of energy, points down energy surface
all_force_vecs_raw = -dEpdr
