from torch import nn, autograd, optim


def requires_grad(model, flag=True):
    for p in model.parameters():
        p.requires_grad = flag


def d_r1_loss(real_pred, real_img):
    grad_real, = autograd.grad(
        outputs=real_pred.sum(), inputs=real_img, create_graph=True
    )
    grad_penalty = grad_real.pow(2).reshape(grad_real.shape[0], -1).sum(1).mean()

    return grad_penalty


def train(args, ckpt_dir, img_loader, seg_loader, seg_val_loader, generator, discriminator_img,
            discriminator_seg, g_optim, d_img_optim, d_seg_optim, g_ema, device, writer):
    ...
    for idx in pbar:
        i = idx + args.start_iter
        ...
        # =============================== Step1: train the d_img ===================================
        requires_grad(generator, False)
        requires_grad(discriminator_img, True)
        requires_grad(discriminator_seg, False)
        ...
        discriminator_img.zero_grad()
        d_img_loss.backward()
        d_img_optim.step()
        
        # =============================== Step2: train the d_seg ===================================
        requires_grad(generator, False)
        requires_grad(discriminator_img, False)
        requires_grad(discriminator_seg, True)
        ...
        discriminator_seg.zero_grad()
        d_seg_loss.backward()
        d_seg_optim.step()

        d_regularize = i % args.d_reg_every == 0

        if d_regularize:
            real_img.requires_grad = True
            real_pred = discriminator_img(real_img)
            r1_img_loss = d_r1_loss(real_pred, real_img)

            discriminator_img.zero_grad()
            (args.r1 / 2 * r1_img_loss * args.d_reg_every + 0 * real_pred[0]).backward()

            d_img_optim.step()
            ...
