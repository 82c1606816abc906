import torch
import torch.autograd as autograd

def compute_gradient_penalty(critic, real_samples, fake_samples, device):
    """Calculates the gradient penalty loss for WGAN GP"""
    batch_size, C, W, H = real_samples.shape
    epsilon = torch.rand(batch_size, 1, 1, 1).repeat(1, C, W, H).to(device)
    interpolated_images = (epsilon * real_samples + ((1 - epsilon) * fake_samples))
    interpolated_scores = critic(interpolated_images)

    # Get gradient w.r.t. interpolates
    gradients = autograd.grad(
        inputs=interpolated_images,
        outputs=interpolated_scores,
        grad_outputs=torch.ones_like(interpolated_scores),
        create_graph=True,
        retain_graph=True,
    )[0]
    gradients = gradients.view(gradients.shape[0], -1)
    gradient_penalty = torch.mean((1. - torch.sqrt(1e-8+torch.sum(gradients**2, dim=1)))**2)
    return gradient_penalty


def train_step(critic, generator, optimizer_C, optimizer_G, real_images, batch_size, latent_dim, lambda_gp, n_critic, i, device):
    real_images = real_images.to(device)
    optimizer_C.zero_grad()

    z = torch.rand(batch_size, latent_dim, device=device)
    fake_images = generator(z)

    # Real images
    real_validity = critic(real_images)
    # Fake images
    fake_validity = critic(fake_images)
    # Gradient penalty
    gradient_penalty = compute_gradient_penalty(critic, real_images, fake_images, device)
    # Adversarial loss
    d_loss = -torch.mean(real_validity) + torch.mean(fake_validity) + lambda_gp * gradient_penalty

    d_loss.backward()
    optimizer_C.step()

    optimizer_G.zero_grad()

    # Train the generator every n_critic steps
    if i % n_critic == 0:
        # Generate a batch of images
        fake_images = generator(z)
        # Train on fake images
        fake_validity = critic(fake_images)
        g_loss = -torch.mean(fake_validity)

        g_loss.backward()
        optimizer_G.step()
