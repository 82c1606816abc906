def train(source_loader, target_loader, model, optimizer, train_file, epoch, criterion_src, criterion_domain, opt):
    ...
    # switch to train mode
    model.train()
    ...
    for i in range(epoch_size):
        ...
        #====== forward data to model ======#
        f_mean, f_logvar, f_post, z_post_mean, z_post_logvar, z_post, z_prior_mean, z_prior_logvar, z_prior, recon_x, pred_domain_all, pred_video_class = model(x, beta)
        ...
        # compute gradient and do SGD step
        optimizer.zero_grad()

        if opt.pretrain_VAE == 'Y':
            VAE_loss.backward()
        else:
            loss.backward()
        ...
        optimizer.step()


def main(opt):
    ...
    #=== Preparing model ===#
    model = TransferVAE.TransferVAE_Video(opt)
    ...
    optimizer = torch.optim.Adam(model.parameters(), opt.lr, weight_decay=opt.weight_decay)
    ...
    for epoch in range(start_epoch, start_epoch + opt.epochs + 1):
        ...
        # train one epoch
        loss, loss_c = train(source_loader, target_loader, model, optimizer, train_file, epoch, criterion_src, criterion_domain, opt)


with torch.no_grad():
    if __name__ == '__main__':
        main(opt)
