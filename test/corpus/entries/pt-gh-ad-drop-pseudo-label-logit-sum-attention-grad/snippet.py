import torch


def train_process(args, model, optimizer, train_dataloader, eval_dataloader, test_dataloader, device):
    for epoch in range(args.epoch):
        model.train()

        for step, datas in enumerate(train_dataloader):
            input_ids, attn_mask, labels, _ = [data.to(device) for data in datas]

            # creat initial attention mask for each layer
            extend_attn_mask = attn_mask.unsqueeze(1).unsqueeze(2).expand([-1, args.layers, args.max_len, -1])
            extend_attn_mask_list = [extend_attn_mask for i in range(args.layers)]
            extend_attn_mask_list_A = torch.stack(extend_attn_mask_list, dim=0)

            # the first forward computation without masking
            out = model(input_ids,
                        attention_mask=extend_attn_mask_list_A,
                        labels=labels)
            loss_ori = out[0]
            outputs_ori = out[1]
            attention_ori = out[2]

            p_label = outputs_ori.argmax(dim=-1)   # pseudo label
            outputs_true = outputs_ori.gather(1, p_label.view(-1, 1)).sum() # logit output of pseudo label

            if args.do_mask and (epoch % 2) != 0: # do mask + cross-tuning
                # obtain new mask matrices for each layer
                for l, layer in enumerate(args.mask_layer):
                    attention_ori[layer].retain_grad()
                    if args.attribution == 'GA':
                        (grad,) = torch.autograd.grad(outputs_true.view(-1), attention_ori[layer], retain_graph=True)
                    else:
                        raise NotImplementedError
                    grad_masks = generate_mask_low(args, grad, extend_attn_mask, attn_mask, device)  # [B, H, L, L]
                    extend_attn_mask_list[layer] = grad_masks.long() # replace the initial attention mask
                extend_attn_mask_list_B = torch.stack(extend_attn_mask_list, dim=0)

                # the second forward computation by feeding the new mask
                out_B = model(input_ids,
                              attention_mask=extend_attn_mask_list_B,
                              labels=labels)
                loss_B = out_B[0]

            optimizer.zero_grad()
            if args.do_mask and (epoch % 2) != 0: # new loss
                loss_B.backward()
            else: # original loss
                loss_ori.backward()
            optimizer.step()
