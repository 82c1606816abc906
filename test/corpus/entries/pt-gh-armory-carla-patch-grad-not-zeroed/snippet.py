def _train_step(
    self,
    images: "torch.Tensor",
    target: "torch.Tensor",
    mask: Optional["torch.Tensor"] = None,
) -> "torch.Tensor":
    import torch  # lgtm [py/repeated-import]

    self.estimator.model.zero_grad()
    loss = self._loss(images, target, mask)
    loss.backward(retain_graph=True)

    if self._optimizer_string == "pgd":
        patch_grads = self._patch.grad
        patch_gradients = patch_grads.sign() * self.learning_rate * self.patch_mask

        if images.shape[-1] == 6:
            ...

        with torch.no_grad():
            self._patch[:] = torch.clamp(
                self._patch + patch_gradients,
                min=self.estimator.clip_values[0],
                max=self.estimator.clip_values[1],
            )

            if images.shape[-1] == 6:
                ...

    else:
        raise ValueError(
            "Adam optimizer for CARLA Adversarial Patch not supported."
        )

    return loss
