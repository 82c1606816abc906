import torch
from tqdm import tqdm

from utils.torch_utils import select_device, smart_inference_mode


@smart_inference_mode()
def run(
        batch_size=32,  # batch size
        device='',  # cuda device, i.e. 0 or 0,1,2,3 or cpu
        model=None,
        dataloader=None,
        criterion=None,
        pbar=None,
):
    device = next(model.parameters()).device
    model.eval()
    pred, targets, loss = [], [], 0
    n = len(dataloader)  # number of batches
    bar = tqdm(dataloader, n, False)
    with torch.cuda.amp.autocast(enabled=device.type != 'cpu'):
        for images, labels in bar:
            images, labels = images.to(device, non_blocking=True), labels.to(device)
            y = model(images)
            pred.append(y.argsort(1, descending=True)[:, :5])
            targets.append(labels)
            if criterion:
                loss += criterion(y, labels)

    loss /= n
    pred, targets = torch.cat(pred), torch.cat(targets)
    correct = (targets[:, None] == pred).float()
    acc = torch.stack((correct[:, 0], correct.max(1).values), dim=1)  # (top1, top5) accuracy
    top1, top5 = acc.mean(0).tolist()
    return top1, top5, loss
