import torch
from model import get_model


def main(args):
    # Build the model
    model = get_model(args, ingr_vocab_size, instrs_vocab_size)

    # add model parameters
    if args.ingrs_only:
        params = list(model.ingredient_decoder.parameters()) + list(model.ingredient_encoder.parameters())
    elif args.recipe_only:
        params = list(model.recipe_decoder.parameters()) + list(model.ingredient_encoder.parameters())
    else:
        params = list(model.recipe_decoder.parameters()) + list(model.ingredient_decoder.parameters()) \
                 + list(model.ingredient_encoder.parameters())
    ...
    optimizer = torch.optim.Adam(params, lr=args.learning_rate)

    for epoch in range(start, args.num_epochs):
        for i in range(total_step):
            img_inputs, captions, ingr_gt, img_ids, paths = loader.next()
            true_caps_batch = captions.clone()[:, 1:].contiguous()
            losses = model(img_inputs, captions, ingr_gt,
                           keep_cnn_gradients=keep_cnn_gradients)

            if not args.ingrs_only:
                recipe_loss = losses['recipe_loss']

                recipe_loss = recipe_loss.view(true_caps_batch.size())
                non_pad_mask = true_caps_batch.ne(instrs_vocab_size - 1).float()

                recipe_loss = torch.sum(recipe_loss*non_pad_mask, dim=-1) / torch.sum(non_pad_mask, dim=-1)
                recipe_loss = recipe_loss.mean()
            else:
                recipe_loss = 0

            if not args.recipe_only:
                ingr_loss = losses['ingr_loss']
                ingr_loss = ingr_loss.mean()
            else:
                ingr_loss = 0

            loss = args.loss_weight[0] * recipe_loss + args.loss_weight[1] * ingr_loss

            model.zero_grad()
            loss.backward()
            optimizer.step()
