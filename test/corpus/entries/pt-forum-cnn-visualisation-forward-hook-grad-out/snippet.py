def hook_layer(self):
    def hook_function(module, grad_in, grad_out):
        # Gets the conv output of the selected filter (from selected layer)
        self.conv_output = grad_out[0, self.selected_filter]

    # Hook the selected layer
    self.model[self.selected_layer].register_forward_hook(hook_function)


def visualise_layer_with_hooks(self):
    # Hook the selected layer
    self.hook_layer()
