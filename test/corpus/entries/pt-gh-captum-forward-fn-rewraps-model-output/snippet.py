def forward_fn(sample):

    print("forward_fn: ", sample)
    int2token = [learner.model.vocab._index_to_token["tokens"][i] for i in sample[0].numpy()]
    token2str = " ".join(int2token)
    tokens = [Token(s) for s in token2str.split()]
    instance = learner.dataset_reader.text_to_instance(tokens)
    intent_probs_tensor = torch.tensor(learner.model.forward_on_instance(instance)['intent_probs'])
    probs_squeeze = intent_probs_tensor.unsqueeze(0)
    print("probs_squeeze: ", probs_squeeze.shape)
    return torch.softmax(probs_squeeze, dim=-1)
