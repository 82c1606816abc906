def train_step(opt, train_loader, nets, optimizer, criterions, epoch):
    at_losses = AverageMeter()

    snet = nets['snet']
    tnet = nets['tnet']

    criterionCls = criterions['criterionCls']
    criterionAT = criterions['criterionAT']

    snet.train()

    for idx, (img, target) in enumerate(train_loader, start=1):
        if opt.cuda:
            img = img.cuda()
            target = target.cuda()

        activation1_s, activation2_s, activation3_s, output_s = snet(img)
        activation1_t, activation2_t, activation3_t, _ = tnet(img)

        cls_loss = criterionCls(output_s, target)
        at3_loss = criterionAT(activation3_s, activation3_t.detach()) * opt.beta3
        at2_loss = criterionAT(activation2_s, activation2_t.detach()) * opt.beta2
        at1_loss = criterionAT(activation1_s, activation1_t.detach()) * opt.beta1
        at_loss = at1_loss + at2_loss + at3_loss + cls_loss

        at_losses.update(at_loss.item(), img.size(0))

        optimizer.zero_grad()
        at_loss.backward()
        optimizer.step()
