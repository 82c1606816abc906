import torch
import torchani
import tqdm

nn = torchani.ANIModel([H_network, C_network, N_network, O_network])
model = torch.nn.Sequential(aev_computer, nn).to(device)

optimizer = torch.optim.Adam(nn.parameters())
mse = torch.nn.MSELoss(reduction='none')
force_coefficient = 1  # controls the importance of energy loss vs force loss

for _ in range(scheduler.last_epoch + 1, max_epochs):

    # Besides being stored in x, species and coordinates are also stored in y.
    # So here, for simplicity, we just ignore the x and use y for everything.
    for i, (_, batch_y) in tqdm.tqdm(enumerate(training), total=len(training)):
        true_energies = batch_y['energies']
        predicted_energies = []
        num_atoms = []
        force_loss = []

        for chunk in batch_y['atomic']:
            chunk_species = chunk['species']
            chunk_coordinates = chunk['coordinates']
            chunk_true_forces = chunk['forces']
            chunk_num_atoms = (chunk_species >= 0).sum(dim=1).to(true_energies.dtype)
            num_atoms.append(chunk_num_atoms)

            # We must set `chunk_coordinates` to make it requires grad, so
            # that we could compute force from it
            chunk_coordinates.requires_grad_(True)

            _, chunk_energies = model((chunk_species, chunk_coordinates))

            # We can use torch.autograd.grad to compute force. Remember to
            # create graph so that the loss of the force can contribute to
            # the gradient of parameters, and also to retain graph so that
            # we can backward through it a second time when computing gradient
            # w.r.t. parameters.
            chunk_forces = -torch.autograd.grad(chunk_energies.sum(), chunk_coordinates, create_graph=True, retain_graph=True)[0]

            # Now let's compute loss for force of this chunk
            chunk_force_loss = mse(chunk_true_forces, chunk_forces).sum(dim=(1, 2)) / chunk_num_atoms

            predicted_energies.append(chunk_energies)
            force_loss.append(chunk_force_loss)

        num_atoms = torch.cat(num_atoms)
        predicted_energies = torch.cat(predicted_energies)

        # Now the total loss has two parts, energy loss and force loss
        energy_loss = (mse(predicted_energies, true_energies) / num_atoms).mean()
        energy_loss = 0.5 * (torch.exp(2 * energy_loss) - 1)
        force_loss = torch.cat(force_loss).mean()
        loss = energy_loss + force_coefficient * force_loss

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
