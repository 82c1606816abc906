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
    attacker = LinfPGDAttack(
        model, loss_fn=None, eps=8 / 255, eps_iter=2 / 255, nb_iter=10,
        rand_init=True, clip_min=0.0, clip_max=1.0, targeted=False,
    )
    pred, targets, loss = [], [], 0
    n = len(dataloader)  # number of batches
    bar = tqdm(dataloader, n, False)
    with torch.cuda.amp.autocast(enabled=device.type != 'cpu'):
        for images, labels in bar:
            images, labels = images.to(device, non_blocking=True), labels.to(device)
            with torch.enable_grad():
                img_adv = attacker.perturb(images, labels.to(device))
            y = model(img_adv)
            pred.append(y.argsort(1, descending=True)[:, :5])
            targets.append(labels)
            if criterion:
                loss += criterion(y, labels)

    loss /= n
    return pred, targets, loss
