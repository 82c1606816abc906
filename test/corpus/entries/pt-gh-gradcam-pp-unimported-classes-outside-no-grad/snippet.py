# model is fine-tuned on task-specific classification, initialized with pretrained resnet18 torchvision model weights

model.eval()
resnet_model_dict = dict(type='resnet', arch=model, layer_name='layer4',
                        input_size=(224,224))

resnet_gradcam = GradCAM(resnet_model_dict, True)
resnet_gradcampp = GradCAMpp(resnet_model_dict, True)
