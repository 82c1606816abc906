# 2. Get discriminator real/fake outputs on the real and fake (generated) images respectively.
disc_output_real = discriminator(pixel_values.float(), text_embedding, image_embedding)
disc_output_fake = discriminator(student_gen_image.detach().float(), text_embedding, image_embedding)

# 3. Calculate the discriminator real adversarial loss terms.
d_logits_real = disc_output_real.logits
# Use hinge loss (see section 3.2, Equation 3 of paper)
d_adv_loss_real = torch.mean(F.relu(torch.ones_like(d_logits_real) - d_logits_real))

# 4. Calculate the discriminator R1 gradient penalty term with respect to the gradients from the real
# data.
d_r1_regularizer = 0
for k, head in discriminator.heads.items():
    head_grad_params = torch.autograd.grad(
        outputs=d_adv_loss_real, inputs=head.parameters(), create_graph=True
    )
    head_grad_norm = 0
    for grad in head_grad_params:
        head_grad_norm += grad.abs().sum()
    d_r1_regularizer += head_grad_norm

d_loss_real = d_adv_loss_real + args.discriminator_r1_strength * d_r1_regularizer
accelerator.backward(d_loss_real, retain_graph=True)
