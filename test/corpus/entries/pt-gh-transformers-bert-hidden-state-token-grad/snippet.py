for count, data in enumerate(iter(data_loader)):

    input_ids=torch.squeeze(data['input_ids'],dim=0)

    attention_mask=torch.squeeze(data['attention_mask'],dim=0)

    last_hidden_state, pooled_output, hidden_states = bert_model(input_ids=input_ids,attention_mask=attention_mask)

    bert_layer_i_output=hidden_states[i][0]

    print(bert_layer_i_output.shape)

    bert_layer_j_output=hidden_states[j][0]

    for k in range(bert_layer_i_output.shape[0]):
      gradient=torch.autograd.grad(bert_layer_j_output[k],bert_layer_i_output[k],grad_outputs=torch.ones_like(bert_layer_j_output[k]))
      print(gradient.shape)
      print(torch.norm(gradient))
      break
    break
