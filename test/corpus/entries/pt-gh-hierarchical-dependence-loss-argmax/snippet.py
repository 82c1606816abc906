import torch
from torch.optim import Adam

from  model import resnet50
from model.hierarchical_loss import HierarchicalLossNetwork

model = resnet50.ResNet50()
optimizer = Adam(model.parameters(), lr=args.learning_rate)

HLN = HierarchicalLossNetwork(metafile_path=args.metafile, hierarchical_labels=hierarchy, device=device)

for epoch_idx in range(args.epoch):
    for i, sample in tqdm(enumerate(train_generator)):
        batch_x, batch_y1, batch_y2 = sample['image'].to(device), sample['label_1'].to(device), sample['label_2'].to(device)
        optimizer.zero_grad()

        superclass_pred,subclass_pred = model(batch_x)
        prediction = [superclass_pred,subclass_pred]
        dloss = HLN.calculate_dloss(prediction, [batch_y1, batch_y2])
        lloss = HLN.calculate_lloss(prediction, [batch_y1, batch_y2])

        total_loss = lloss + dloss
        total_loss.backward()
        optimizer.step()
