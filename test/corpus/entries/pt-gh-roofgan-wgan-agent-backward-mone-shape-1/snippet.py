import torch
import torch.optim as optim
import torch.autograd as autograd
from tqdm import tqdm
from util.utils import TrainClock, cycle, ensure_dir


class WGANAgant(object):
    def set_optimizer(self, config):
        """set optimizer and lr scheduler used in training"""
        self.optimizerD = optim.Adam(self.netD.parameters(), lr=config.lr, betas=(config.beta1, 0.9))
        self.optimizerG = optim.Adam(self.netG.parameters(), lr=config.lr, betas=(config.beta1, 0.9))

    def train(self, dataloader):
        """training process"""
        data = cycle(dataloader)

        one = torch.FloatTensor([1])
        mone = one * -1
        one = one.cuda()
        mone = mone.cuda()

        pbar = tqdm(range(self.n_iters))
        for iteration in pbar:
            ############################
            # (1) Update D network
            ###########################
            for p in self.netD.parameters():  # reset requires_grad
                p.requires_grad = True

            for iter_d in range(self.critic_iters):
                real_data = next(data)
                # parse data
                r_roof_onehots = real_data["roof_onehot_maps"].cuda()
                r_roof_angles = real_data["roof_angle_maps"].cuda()
                r_coli_onehots = real_data["colinear_onehots"].cuda()
                num_blocks = real_data["num_blocks"]
                r_roof_onehots.requires_grad_(True)
                r_roof_angles.requires_grad_(True)
                r_coli_onehots.requires_grad_(True)
                self.netD.zero_grad()

                # train with real
                D_real = self.netD(r_roof_onehots, r_roof_angles, r_coli_onehots, num_blocks, r_roof_onehots, r_roof_angles)
                D_real = D_real.mean()
                D_real.backward(mone)

                # train with fake
                noise = torch.randn(r_roof_onehots.size(0), self.n_dim).cuda()
                f_roof_onehots, f_roof_angles, f_coli_onehots, f_roof_onehots_no, f_roof_angles_no = self.netG(noise, num_blocks)
                D_fake = self.netD(f_roof_onehots.detach(), f_roof_angles.detach(), f_coli_onehots.detach(), num_blocks, 
                    f_roof_onehots_no.detach(), f_roof_angles_no.detach())
                D_fake = D_fake.mean()
                D_fake.backward(one)

                self.optimizerD.step()
