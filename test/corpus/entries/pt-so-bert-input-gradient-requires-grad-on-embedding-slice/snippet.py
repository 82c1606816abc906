# get your batch data: token_id, mask and labels
token_ids, mask, labels = batch

# get your token embeddings
token_embeds=BertModel.bert.get_input_embeddings().weight[token_ids].clone()
# track gradient of token embeddings
token_embeds.requires_grad=True

# get model output that contains loss value
outs = BertModel(inputs_embeds=inputs_embeds,labels=labels)
loss=outs.loss

loss.backward()
grad=token_embeds.grad
