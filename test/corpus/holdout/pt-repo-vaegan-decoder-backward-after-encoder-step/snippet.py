for j, (x, label) in enumerate(train_loader):
    net.train()
    batch_size = len(x)

    x = Variable(x, requires_grad=False).float().cuda()

    x_tilde, disc_class, disc_layer, mus, log_variances = net(x)

    # split so we can get the different parts
    disc_layer_original = disc_layer[:batch_size]
    disc_layer_predicted = disc_layer[batch_size:-batch_size]
    disc_layer_sampled = disc_layer[-batch_size:]

    disc_class_original = disc_class[:batch_size]
    disc_class_predicted = disc_class[batch_size:-batch_size]
    disc_class_sampled = disc_class[-batch_size:]
    
    nle, kl, mse, bce_dis_original, bce_dis_predicted, bce_dis_sampled = VaeGan.loss(x, x_tilde, \
                                                                disc_layer_original, disc_layer_predicted, disc_layer_sampled, 
                                                                disc_class_original, disc_class_predicted, disc_class_sampled,
                                                                mus, log_variances)

    # THIS IS THE MOST IMPORTANT PART OF THE CODE
    loss_encoder = torch.sum(kl)+torch.sum(mse)
    loss_discriminator = torch.sum(bce_dis_original) + torch.sum(bce_dis_predicted) + torch.sum(bce_dis_sampled)
    loss_decoder = torch.sum(lambda_mse * mse) - (1.0 - lambda_mse) * loss_discriminator

    # selectively disable the decoder of the discriminator if they are unbalanced
    train_dis = True
    train_dec = True
    
    if torch.mean(bce_dis_original).item() < equilibrium-margin or torch.mean(bce_dis_predicted).item() < equilibrium-margin:
        train_dis = False
    if torch.mean(bce_dis_original).item() > equilibrium+margin or torch.mean(bce_dis_predicted).item() > equilibrium+margin:
        train_dec = False
    if train_dec is False and train_dis is False:
        train_dis = True
        train_dec = True

    net.zero_grad()

    # encoder
    loss_encoder.backward(retain_graph=True)  #someone likes to clamp the grad here: [p.grad.data.clamp_(-1,1) for p in net.encoder.parameters()]
    optimizer_encoder.step()
    net.zero_grad()  # cleanothers, so they are not afflicted by encoder loss

    #decoder
    if train_dec:
        loss_decoder.backward(retain_graph=True)  #[p.grad.data.clamp_(-1,1) for p in net.decoder.parameters()]
        optimizer_decoder.step()
        net.discriminator.zero_grad()  #clean the discriminator

    #discriminator
    if train_dis:
        loss_discriminator.backward()  #[p.grad.data.clamp_(-1,1) for p in net.discriminator.parameters()]
        optimizer_discriminator.step()
