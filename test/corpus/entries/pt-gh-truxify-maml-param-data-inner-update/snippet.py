# meta/model.py:95,99  inner_update
grads = torch.autograd.grad(loss, adapted_model.parameters(), create_graph=True)
for param, grad in zip(adapted_model.parameters(), grads):
    param.data -= self.inner_lr * grad          # <-- in-place .data assignment

# meta/model.py:116-131  meta_train_step
adapted_model = self.inner_update(self.model, support_x, support_y)
pred = adapted_model(query_x)
task_loss = self.criterion(pred, query_y)
meta_loss += task_loss
...
self.outer_update(meta_loss)                     # meta_loss.backward() on self.model.parameters()
