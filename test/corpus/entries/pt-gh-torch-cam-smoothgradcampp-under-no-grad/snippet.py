model = uniformer()
model.load_state_dict()
model.eval()
cam_extractor = SmoothGradCAMpp(model,target_layer=model.blocks3[-1].attn,input_shape=(8,14,112,112))
with torch.no_grad():
      output = model(input)
      activate_map = cam_extractor(target,output)
