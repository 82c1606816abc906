for j in range(opt.Dsteps):
    ...
    fake = netG(noise.detach(),prev)
    output = netD(fake.detach())
    errD_fake = output.mean()
    errD_fake.backward(retain_graph=True)
    D_G_z = output.mean().item()

    gradient_penalty = functions.calc_gradient_penalty(netD, real, fake, opt.lambda_grad)
    gradient_penalty.backward()

    errD = errD_real + errD_fake + gradient_penalty
    optimizerD.step()

errD2plot.append(errD.detach())

############################
# (2) Update G network: maximize D(G(z))
###########################

for j in range(opt.Gsteps):
    netG.zero_grad()
    output = netD(fake)
    #D_fake_map = output.detach()
    errG = -output.mean()
    errG.backward(retain_graph=True)
    if alpha!=0:
        ...
    else:
        Z_opt = z_opt
        rec_loss = 0

    optimizerG.step()
