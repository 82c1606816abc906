def forward_step_with_balance_loss(data_iterator, model, input_tensor):
    args = get_args()
    output = forward_step_func(data_iterator, model, input_tensor)

    if not is_pipeline_last_stage() or not args.balance_strategy or args.balance_strategy == 'naive':
        return output
    loss_name = args.balance_strategy + "_loss"

    if hasattr(model, 'module'):
        model = model.module

    loss_list = [l.mlp.gate.get_loss(clear=False) for l in model.language_model.transformer.layers]
    (loss, state_dict), bal_loss = (
        output,
        (
            torch.tensor(
                loss_list, device=loss_list[0].device
            ).mean()
            * args.balance_loss_weight
        ).float(),
    )

    # avarage across world group
    world_group = get_torch_default_comm()
    world_size = torch.distributed.get_world_size(group=world_group)
    averaged_bal_loss = bal_loss.clone().detach()
    torch.distributed.all_reduce(averaged_bal_loss, group=world_group)
    averaged_bal_loss /= world_size

    loss += bal_loss
    state_dict[loss_name] = averaged_bal_loss

    return loss, state_dict
