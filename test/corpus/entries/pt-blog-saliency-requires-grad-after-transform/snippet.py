import torch
import torchvision
import torchvision.transforms as transforms
import numpy as np

model = torchvision.models.resnet18(pretrained=True)
model.eval()

transform = transforms.Compose([
    transforms.Resize(256),
    transforms.CenterCrop(224),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
])

from PIL import Image
image = Image.open('your_image.jpg')
input_image = transform(image).unsqueeze(0)
input_image.requires_grad = True

output = model(input_image)
# Get the index of the predicted class
_, predicted = torch.max(output.data, 1)
predicted_class = predicted.item()

# Calculate the gradient of the score of the predicted class with respect to the input image
output[:, predicted_class].backward()

# Get the gradient
saliency_map = input_image.grad.data
saliency_map = saliency_map.abs()
saliency_map, _ = torch.max(saliency_map, dim=1)
saliency_map = saliency_map.squeeze()
# Convert the saliency map to a numpy array for visualization
saliency_map = saliency_map.cpu().numpy()
