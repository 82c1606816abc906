import time
import random
import torch



def Continue_train_WGAN(opt):
    ...
    # Loss functions
    criterion_L1 = torch.nn.L1Loss().cuda()

    # Initialize Generator
    generator = utils.create_generator(opt)
    global_discriminator = utils.create_discriminator(opt)
    patch_discriminator = utils.create_discriminator(opt)
    perceptualnet = utils.create_perceptualnet(opt)
    ...

    # Optimizers
    optimizer_G = torch.optim.Adam(generator.parameters(), lr = opt.lr, betas = (opt.b1, opt.b2), weight_decay = opt.weight_decay)
    optimizer_D1 = torch.optim.Adam(global_discriminator.parameters(), lr = opt.lr, betas = (opt.b1, opt.b2))
    optimizer_D2 = torch.optim.Adam(patch_discriminator.parameters(), lr = opt.lr, betas = (opt.b1, opt.b2))
    ...
    # Count start time
    prev_time = time.time()

    # For loop training
    for epoch in range(opt.epochs):
        for i, (true_input, true_target) in enumerate(train_loader):
            
            # To device
            true_input = true_input.cuda()
            true_target = true_target.cuda()

            # Train Discriminator
            optimizer_D1.zero_grad()
            optimizer_D2.zero_grad()

            # Generator output
            fake_target = generator(true_input)

            # Extract patch for patch discriminator
            rand_h = random.randint(0, opt.crop_size - opt.patch_size)
            rand_w = random.randint(0, opt.crop_size - opt.patch_size)
            fake_target_patch = fake_target[:, :, rand_h:rand_h+opt.patch_size, rand_w:rand_w+opt.patch_size]
            true_target_patch = true_target[:, :, rand_h:rand_h+opt.patch_size, rand_w:rand_w+opt.patch_size]

            # Global discriminator
            fake_scalar_d = global_discriminator(fake_target.detach())
            true_scalar_d = global_discriminator(true_target)
            # Overall Loss and optimize
            loss_D1 = - torch.mean(true_scalar_d) + torch.mean(fake_scalar_d)
            loss_D1.backward()

            # Patch discriminator
            fake_scalar_d = patch_discriminator(fake_target_patch.detach())
            true_scalar_d = patch_discriminator(true_target_patch)
            # Overall Loss and optimize
            loss_D2 = - torch.mean(true_scalar_d) + torch.mean(fake_scalar_d)
            loss_D2.backward()

            # Train Generator
            optimizer_G.zero_grad()
            fake_target = generator(true_input)
            
            # Extract patch for patch discriminator
            fake_target_patch = fake_target[:, :, rand_h:rand_h+opt.patch_size, rand_w:rand_w+opt.patch_size]

            # L1 Loss
            Pixellevel_L1_Loss = criterion_L1(fake_target, true_target)

            # Perceptual Loss
            fake_target_feature = perceptualnet(fake_target)
            true_target_feature = perceptualnet(true_target)
            Perceptual_Loss = criterion_L1(fake_target_feature, true_target_feature)
            
            # GAN Loss
            fake_scalar_global = global_discriminator(fake_target)
            Global_GAN_Loss = - torch.mean(fake_scalar_global)
            fake_scalar_patch = patch_discriminator(fake_target_patch)
            Patch_GAN_Loss = - torch.mean(fake_scalar_patch)

            # Overall Loss and optimize
            loss = opt.lambda_l1 * Pixellevel_L1_Loss + opt.lambda_percep * Perceptual_Loss + opt.lambda_gan * (Global_GAN_Loss + Patch_GAN_Loss)
            loss.backward()
            optimizer_G.step()
            ...
