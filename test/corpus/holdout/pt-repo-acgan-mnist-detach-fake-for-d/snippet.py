import torch
import torch.optim as optim
import ACGAN
import get_mnist_loader

lr = 0.0002
beta1 = 0.5 #Adam算法所需参数
batch_size = 64
nz = 100 #噪声长度
n_channel = 1 #输入图片通道数
n_label = 10
ngf = 64
ndf = 64
num_epochs = 20

data_loader, _ = get_mnist_loader.get_loaders(valid_image_size,batch_size)

# 实例化生成器和判别器
netG = ACGAN.netG(nz, ngf, n_channel)
netD = ACGAN.netD(ndf, n_channel, n_label)

# 损失函数
s_criterion = torch.nn.BCELoss()
c_criterion = torch.nn.NLLLoss()

# 优化器
optimizerD = optim.Adam(netD.parameters(), lr=lr, betas=(beta1, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=lr, betas=(beta1, 0.999))

# 训练
for epoch in range(num_epochs):

    # minibatch training
    for i, (imgs, c_real) in enumerate(data_loader):

        # 获得此batch的数据量
        mini_batch = imgs.size()[0]

        '''先训练判别器'''
        # 判别器梯度清零
        netD.zero_grad()

        # 首先用真实数据训练
        # 真实数据的真实度标签为1
        s_real = torch.ones(mini_batch)
        # 前向传播获得判别器的两部分输出
        s_output, c_output = netD(imgs)
        # 获得误差
        s_errD_real = s_criterion(s_output, s_real)
        c_errD_real = c_criterion(c_output, c_real)
        # 总误差
        errD_real = s_errD_real+c_errD_real
        # 误差反向传播
        errD_real.backward()

        # 用生成的数据训练D
        # 生成随机噪声
        # 这是我们期待的标签
        c_real = torch.randint(n_label, (mini_batch,))
        label_onehot = torch.zeros((mini_batch, n_label))
        label_onehot[torch.arange(mini_batch), c_real] = 1
        noise = torch.randn(mini_batch, nz, 1, 1)
        noise[torch.arange(mini_batch), :n_label, 0, 0] = label_onehot[torch.arange(mini_batch)]
        # 生成样本的真实度标签为0
        s_real = torch.zeros(mini_batch)

        # 生成假样本
        fake_img = netG(noise)
        # 假样本在D中前向传播
        s_output, c_output = netD(fake_img.detach()) ### fake_img并不需要记录梯度，应该将其移出计算图，并防止后面产生错误
        s_errD_fake = s_criterion(s_output, s_real)
        c_errD_fake = c_criterion(c_output, c_real)
        # 总误差
        errD_fake = s_errD_fake+c_errD_fake
        # 反向传播
        errD_fake.backward()

        errD = s_errD_real+s_errD_fake
        optimizerD.step()

        '''训练G'''
        netG.zero_grad()
        s_real = torch.ones(mini_batch)
        s_output,c_output = netD(fake_img) ###这里再次用到了fake_img，故上面必须保证它不被移除计算图
        s_errG = s_criterion(s_output, s_real)
        c_errG = c_criterion(c_output, c_real)

        errG = s_errG + c_errG
        errG.backward()
        optimizerG.step()
