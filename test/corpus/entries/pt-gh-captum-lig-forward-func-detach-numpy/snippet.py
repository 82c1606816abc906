def custom_forward_func(inputs, token_type_ids=None, position_ids=None, attention_mask=None, position=0):
    outputs = predict(inputs, token_type_ids=token_type_ids, position_ids=position_ids, attention_mask=attention_mask)
    preds = outputs[0].detach().cpu().numpy()
    return softmax(preds)[0][pos] # Output is between 0 - 1; pos is class index

lig = LayerIntegratedGradients(custom_forward_func, model.bert.embeddings)

attributions, delta = lig.attribute(inputs=input_ids, baselines=ref_input_ids, additional_forward_args=(token_type_ids, position_ids, attention_mask, 1), return_convergence_delta=True)
