from captum.attr import Saliency
...  #load test sample, label, and model
sample = sample.requires_grad_(True)  #a Tensor with the size of [1,50,50]
Grad = Saliency(model)
attributions = Grad.attribution(sample,target=label)
attributions = torch.abs(attribution)
min_attr = torch.min(attribution)
max_attr = torch.max(attribution)
attributions = (attributions-min_attr)/(max_attr-min_attr)
y_mesh, x_mesh = torch.meshgrid(torch.arange(50, dtype=torch.float64), torch.arange(50, dtype=torch.float64))
mass_center = torch.stack([torch.sum(attributions*x_mesh)/(50*50),torch.sum(attributions*y_mesh)/(50*50)])
mass_center_loss = -torch.sum((mass_center-mass_center0)**2)  #mass_center0 is a consant
temp = -torch.autograd.grad(mass_center_loss, sample)[0]
