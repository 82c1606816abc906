import itertools

import torch
from torch.autograd import Variable

# Loss weights
lambda_gan      = 1
lambda_id       = 10
lambda_style    = 1
lambda_code     = 1
lambda_cyc      = 0

# Optimizers
optimizer_G = torch.optim.Adam(itertools.chain(Enc1.parameters(), Dec1.parameters(), Enc2.parameters(), Dec2.parameters()),
                                lr=opt.lr, betas=(opt.b1, opt.b2))
optimizer_D1 = torch.optim.Adam(D1.parameters(), lr=opt.lr, betas=(opt.b1, opt.b2))
optimizer_D2 = torch.optim.Adam(D2.parameters(), lr=opt.lr, betas=(opt.b1, opt.b2))

for epoch in range(opt.epoch, opt.n_epochs):
    for i, batch in enumerate(dataloader):

        # Set model input
        X1 = Variable(batch['A'].type(Tensor))
        X2 = Variable(batch['B'].type(Tensor))

        # Sampled style codes
        style_1 = Variable(torch.randn(X1.size(0), opt.style_dim, 1, 1).type(Tensor))
        style_2 = Variable(torch.randn(X1.size(0), opt.style_dim, 1, 1).type(Tensor))

        optimizer_G.zero_grad()

        # Get shared latent representation
        c_code_1, s_code_1 = Enc1(X1)
        c_code_2, s_code_2 = Enc2(X2)

        # Reconstruct images
        X11 = Dec1(c_code_1, s_code_1)
        X22 = Dec2(c_code_2, s_code_2)

        # Translate images
        X21 = Dec1(c_code_2, style_1)
        X12 = Dec2(c_code_1, style_2)

        # Cycle translation
        c_code_21, s_code_21 = Enc1(X21)
        c_code_12, s_code_12 = Enc2(X12)
        X121 = Dec1(c_code_12, s_code_1) if lambda_cyc > 0 else 0
        X212 = Dec2(c_code_21, s_code_2) if lambda_cyc > 0 else 0

        # Losses
        loss_GAN_1  = lambda_gan    * D1.compute_loss(X21, valid)
        loss_GAN_2  = lambda_gan    * D2.compute_loss(X12, valid)
        loss_ID_1   = lambda_id     * criterion_recon(X11, X1)
        loss_ID_2   = lambda_id     * criterion_recon(X22, X2)
        loss_s_1    = lambda_style  * criterion_recon(s_code_12, style_1)
        loss_s_2    = lambda_style  * criterion_recon(s_code_21, style_2)
        loss_c_1    = lambda_code   * criterion_recon(c_code_12, c_code_1.detach())
        loss_c_2    = lambda_code   * criterion_recon(c_code_21, c_code_2.detach())
        loss_cyc_1  = lambda_cyc    * criterion_recon(X121, X1) if lambda_cyc > 0 else 0
        loss_cyc_2  = lambda_cyc    * criterion_recon(X212, X2) if lambda_cyc > 0 else 0

        # Total loss
        loss_G =    loss_GAN_1 + \
                    loss_GAN_2 + \
                    loss_ID_1 + \
                    loss_ID_2 + \
                    loss_s_1 + \
                    loss_s_2 + \
                    loss_c_1 + \
                    loss_c_2 + \
                    loss_cyc_1 + \
                    loss_cyc_2

        loss_G.backward()
        optimizer_G.step()

        optimizer_D1.zero_grad()

        loss_D1 =   D1.compute_loss(X1, valid) + \
                    D1.compute_loss(X21.detach(), fake)

        loss_D1.backward()
        optimizer_D1.step()

        optimizer_D2.zero_grad()

        loss_D2 =   D2.compute_loss(X2, valid) + \
                    D2.compute_loss(X12.detach(), fake)

        loss_D2.backward()
        optimizer_D2.step()
