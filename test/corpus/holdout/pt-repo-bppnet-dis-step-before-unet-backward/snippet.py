class DU_Net(nn.Module):

    def __init__(self, unet_input, unet_output, discriminator_input):
        super().__init__()

        unet = UNet(in_channels=unet_input ,out_channels=unet_output)
        unet = nn.DataParallel(unet, device_ids=[0, 1])
        unet = unet.cuda()

        discriminator = Discriminator(in_channels=discriminator_input , use_sigmoid=True)
        discriminator = nn.DataParallel(discriminator, device_ids=[0, 1])
        discriminator = discriminator.cuda()

        criterion = nn.MSELoss()
        adversarial_loss = AdversarialLoss(type='hinge')

        self.add_module('unet', unet)
        self.add_module('discriminator', discriminator)

        self.add_module('criterion', criterion)
        self.add_module('adversarial_loss', adversarial_loss)

        self.unet_optimizer = optim.Adam(
            unet.parameters(), 
            lr = float(0.00001),
            betas=(0.9, 0.999)
            )

        self.dis_optimizer = optim.Adam(
             params=discriminator.parameters(),
             lr=float(0.00001),
             betas=(0.9, 0.999)
             )

    def process(self, haze_images, dehaze_images):

        # zero optimizers
        self.unet_optimizer.zero_grad()
        self.dis_optimizer.zero_grad()

        # find output and initialize loss to zero
        unet_loss = 0
        dis_loss = 0

        outputs = self.unet(haze_images.cuda())

        # discriminator loss
        dis_real, dis_real_feat = self.discriminator(dehaze_images.cuda())        
        dis_fake, dis_fake_feat = self.discriminator(outputs.detach().cuda())       
        dis_real_loss = self.adversarial_loss(dis_real, True, True)
        dis_fake_loss = self.adversarial_loss(dis_fake, False, True)
        dis_loss += (dis_real_loss + dis_fake_loss) / 2

        # unet loss
        unet_fake, unet_fake_feat = self.discriminator(outputs.cuda())        
        unet_gan_loss = self.adversarial_loss(unet_fake, True, False) * 0.7
        unet_loss += unet_gan_loss

        unet_criterion = self.criterion(outputs.cuda(), dehaze_images.cuda())
        unet_loss += unet_criterion

        return unet_loss, dis_loss, unet_criterion

    def backward(self, unet_loss, dis_loss):
        dis_loss.backward(retain_graph = True)
        self.dis_optimizer.step()

        unet_loss.backward()
        self.unet_optimizer.step()


def train(max_epochs):
    for epoch in range(max_epochs):
        for haze_images, dehaze_images, in train_loader:
            unet_loss, dis_loss, mse = DUNet.process(haze_images.cuda(), dehaze_images.cuda())
            DUNet.backward(unet_loss.cuda(), dis_loss.cuda())
