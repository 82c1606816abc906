import torch
import numpy as np

from torch.autograd import Variable


def requires_grad(parameters, flag=True):
    for p in parameters:
        p.requires_grad = flag


def train(model,VAE, optimizer, buffer, t, loader, z_list, d_s_t, global_step, opt, model_path):
    step_size = opt.step_size
    sample_step = opt.num_steps
    
    noise_list = [torch.randn(zi.size()).cuda() for zi in z_list]
    
    for idx, image in enumerate(loader):
        image = image[0] if len(image) > 1 else image
        
        if opt.renormalize:
            image = 2. * image - 1.
        
        image = image.cuda()
        requires_grad(model.parameters(), False)
        requires_grad(VAE.parameters(), False)

        model.eval()
        VAE.eval()
        
        noise_x = torch.randn(image.size()).cuda()
        if buffer is not None:       
            buffer_prob = min(opt.max_p, opt.max_p*global_step/opt.anneal_step)
            eps_z_nograd = sample_buffer(buffer, z_list, batch_size = image.size(0), p=buffer_prob)
            eps_z = [Variable(eps_zi, requires_grad=True) for eps_zi in eps_z_nograd]
        else:
            eps_z = [Variable(torch.Tensor(zi.size()).normal_(0, 1.).cuda() , requires_grad=True) for zi in z_list]

        eps_x = torch.Tensor(image.size()).normal_(0, 1.).cuda()    
        eps_x = Variable(eps_x, requires_grad = True)
        
        for k in range(sample_step):            
            logits, _, log_p_total = VAE.sample(opt.batch_size, t, eps_z)
            output = VAE.decoder_output(logits)
            neg_x = output.sample(eps_x) 
            log_pxgz = output.log_prob(neg_x).sum(dim = [1,2,3])
            
            if opt.renormalize:
                neg_x_renorm = 2. * neg_x - 1.
            else:
                neg_x_renorm = neg_x
                
                
            dvalue = model(neg_x_renorm) - log_p_total - log_pxgz 
        
            
            dvalue = dvalue.mean()
            dvalue.backward()

            for i in range(len(eps_z)):               
                noise_list[i].normal_(0, 1)
                eps_z[i].data.add_(-0.5*step_size, eps_z[i].grad.data * opt.batch_size)

                eps_z[i].data.add_(np.sqrt(step_size), noise_list[i].data)    
                eps_z[i].grad.detach_()
                eps_z[i].grad.zero_()
            
            noise_x.normal_(0, 1)
            eps_x.data.add_(-0.5*step_size, eps_x.grad.data * opt.batch_size)
            eps_x.data.add_(np.sqrt(step_size), noise_x.data)
            eps_x.grad.detach_()
            eps_x.grad.zero_()

        
        eps_z = [eps_zi.detach() for eps_zi in eps_z]
        eps_x = eps_x.detach()

        requires_grad(model.parameters(), True)
   
        model.zero_grad()
        logits, _, _ = VAE.sample(opt.batch_size, t, eps_z)
        output = VAE.decoder_output(logits)
        
        if opt.use_mu_cd:
            neg_x = output.dist.mu
            if not opt.renormalize:
                neg_x = 0.5 * neg_x + 0.5
        else: 
            neg_x = output.sample(eps_x)
            if opt.renormalize:
                neg_x = 2. * neg_x - 1.
        


        pos_out = model(image)
        neg_out = model(neg_x)
                    
        
        norm_loss = model.spectral_norm_parallel()
        loss_reg_s = opt.alpha_s * norm_loss
        
        loss = pos_out.mean() - neg_out.mean()
        loss_total = loss + loss_reg_s 
        


        loss_total.backward()
        ...
