def pgd_attack(model, images, labels, epsilon=8/255, alpha=2/255, num_iter=7):
    adv_images = images.clone().detach()
    for i in range(num_iter):
        adv_images.requires_grad = True
        outputs = model(adv_images)
        loss = F.cross_entropy(outputs, labels)
        loss.backward()
        with torch.no_grad():
            grad_sign = adv_images.grad.sign()
            adv_images += alpha * grad_sign
            eta = torch.clamp(adv_images - images, min=-epsilon, max=epsilon)
            adv_images = torch.clamp(images + eta, min=0, max=1).detach_()
    return adv_images
