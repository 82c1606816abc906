import torch.nn as nn 
import torch
import torch.nn.functional as F 

from guided_diffusion.script_util import (
    NUM_CLASSES,
    model_and_diffusion_defaults,
    create_model_and_diffusion,
    args_to_dict,
)


class Args:
    ...


class DiffusionRobustModel(nn.Module):
    def __init__(self, classifier, noise_sd, num_noise_vec=40, no_diffusion=False, dataset="trojai"):
        super().__init__()
        model, diffusion = create_model_and_diffusion(
            **args_to_dict(Args(), model_and_diffusion_defaults().keys())
        )
        model.load_state_dict(
            # torch.load("/home/mingjies/projects/diffusion_robustness/imagenet/256x256_diffusion_uncond.pt")
            torch.load("weights/256x256_diffusion_uncond.pt")
        )
        model.eval().cuda()

        model = torch.nn.DataParallel(model).cuda()
        classifier = torch.nn.DataParallel(classifier).cuda()

        self.model = model 
        self.diffusion = diffusion 

        self.classifier = classifier
        self.dataset = dataset 
        self.no_diffusion = no_diffusion 
        self.num_noise_vec = num_noise_vec
        ...

    def forward(self, x):
        x = x.repeat((self.num_noise_vec,1,1,1))

        if self.no_diffusion: # w/o diffusion
            x += torch.randn_like(x) * self.sigma 
        else: # w diffusion 
            x = x * 2 - 1
            x = self.diffusion_denoise(x, self.t)
            x = (x+1)/2

        out = self.classifier(x)

        if self.num_noise_vec == 1 and x.shape[0] != 1:
            return out 
        out = F.softmax(out, dim=1)

        out = torch.mean(out, dim=0, keepdims=True)
        return out

    def diffusion_denoise(self, x_start, t, multistep=False):
        t_batch = torch.tensor([t] * len(x_start)).cuda()

        noise = torch.randn_like(x_start)

        # Gaussian noise is added at this step
        x_t_start = self.diffusion.q_sample(x_start=x_start, t=t_batch, noise=noise)

        with torch.enable_grad():
        # with torch.no_grad():
            if multistep:
                out = x_t_start
                for i in range(t)[::-1]:
                    print(i)
                    t_batch = torch.tensor([i] * len(x_start)).cuda()
                    out = self.diffusion.p_sample(
                        self.model,
                        out,
                        t_batch,
                        clip_denoised=True
                    )['sample']
            else:
                out = self.diffusion.p_sample(
                    self.model,
                    x_t_start,
                    t_batch,
                    clip_denoised=True
                )['pred_xstart']

        return out