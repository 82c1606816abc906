from Models_Norm import PointNet, DGCNN

if args.model == 'pointnet':
    model = PointNet(args)
elif args.model == 'dgcnn':
    model = DGCNN(args)

opt = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.wd) if args.optimizer == "SGD" \
    else optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.wd)

for epoch in range(args.epochs):
    model.train()
    ...
    for data1, data2 in zip(src_train_loader, trgt_train_loader):
        opt.zero_grad()
        #### source data ####
        if data1 is not None:
            ...
            if args.apply_GRL:
                src_data = src_data_orig.clone()
                src_logits = model(src_data, activate_DefRec=False)
                loss = args.grl_weight * criterion(src_logits["domain_cls"], src_domain_label)
                src_print_losses['GRL'] += loss.item() * batch_size
                src_print_losses['total'] += loss.item() * batch_size
                loss.backward()
        ...
        #### target data ####
        if data2 is not None:
            ...
            if args.apply_GRL:
                trgt_data = trgt_data_orig.clone()
                trgt_logits = model(trgt_data, activate_DefRec=False)
                loss = args.grl_weight * criterion(trgt_logits['domain_cls'], trgt_domain_label)
                trgt_print_losses['GRL'] += loss.item() * batch_size
                trgt_print_losses['total'] += loss.item() * batch_size
                loss.backward()
        ...
        opt.step()
