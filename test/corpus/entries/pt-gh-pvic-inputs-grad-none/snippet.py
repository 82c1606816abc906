self._state.loss = sum(loss for loss in loss_dict.values())
self._state.optimizer.zero_grad(set_to_none=True)
self._state.loss.backward()

#To get inputs.grad
grad = self._state.inputs[0][0].grad
