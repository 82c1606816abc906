model = torch.nn.Linear(5, 1)
input_tensor = torch.randn(3, 5)
with torch.inference_mode():
    output = model(input_tensor) # Output is an inference tensor
# To compute gradients, clone and enable grad
output_clone = output.clone().requires_grad_(True)
loss = output_clone.sum()
loss.backward()
