"""Finetune 3D CNN."""
import torch
import torch.nn as nn
import torch.optim as optim


def train(args, model, criterion, optimizer, device, train_dataloader, writer, epoch):
    torch.set_grad_enabled(True)
    model.train()

    running_loss = 0.0
    correct = 0
    for i, data in enumerate(train_dataloader, 1):
        # get inputs
        clips, idxs = data
        inputs = clips.to(device)
        targets = idxs.to(device)
        # zero the parameter gradients
        optimizer.zero_grad()
        # forward and backward
        outputs = model(inputs) # return logits here
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        # compute loss and acc
        running_loss += loss.item()
        ...


def validate(args, model, criterion, device, val_dataloader, writer, epoch):
    torch.set_grad_enabled(False)
    model.eval()
    
    total_loss = 0.0
    correct = 0
    for i, data in enumerate(val_dataloader):
        # get inputs
        clips, idxs = data
        inputs = clips.to(device)
        targets = idxs.to(device)
        # forward
        outputs = model(inputs) # return logits here
        loss = criterion(outputs, targets)
        # compute loss and acc
        total_loss += loss.item()
        ...
    avg_loss = total_loss / len(val_dataloader)
    ...
    return avg_loss


if __name__ == '__main__':
    ...
    criterion = nn.CrossEntropyLoss()
    ...
    for epoch in range(args.start_epoch, args.start_epoch+args.epochs):
        time_start = time.time()
        train(args, model, criterion, optimizer, device, train_dataloader, writer, epoch)
        print('Epoch time: {:.2f} s.'.format(time.time() - time_start))
        val_loss = validate(args, model, criterion, device, val_dataloader, writer, epoch)
        ...
