for batch in data:
    loss = model.forward(batch)
    loss.backward()
    optimizer.step()
    # Gradients accumulate across batches!
