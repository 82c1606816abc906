incorrect_labels = []
correct_labels = []
correct_dataset_dataloader = DataLoader(correct_dataset, batch_size=128, shuffle=False)
for i, (batch_features, batch_correct_labels) in enumerate(correct_dataset_dataloader):
    # get predicted probabilities of each class
    batch_predictions = torch.nn.functional.softmax(correct_dataset_net(batch_features), dim=1)
    # set the predicted probability of the correct class to 0
    batch_predictions[torch.arange(0, len(batch_predictions)), batch_correct_labels] = 0
    # most probable incorrect label is the remaining class with the highest predicted probability
    batch_incorrect_labels = torch.argmax(batch_predictions, dim=1)
    incorrect_labels.append(batch_incorrect_labels)
    correct_labels.append(batch_correct_labels)

incorrect_labels = torch.cat(incorrect_labels)
correct_labels = torch.cat(correct_labels)
