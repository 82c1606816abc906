import tensorflow as tf


class DenseModel(tf.keras.Model):
    ...

    @tf.function
    def train_step(self, beta=10, bilinear_params_dict=None) -> dict:

        with tf.GradientTape(persistent=True) as tape:
            # Predict the values for dirichlet boundary conditions
            predicted_values_dirichlet = self(self.dirichlet_input)

            # initialize total loss as a tensor with shape (1,) and value 0.0
            total_pde_loss = 0.0

            with tf.GradientTape(persistent=True) as tape1:
                # tape gradient
                tape1.watch(self.input_tensor)

                with tf.GradientTape(persistent=True) as tape2:
                    tape2.watch(self.input_tensor)
                    # Compute the predicted values from the model
                    # Compute the predicted values from the model
                    predicted_values = self(self.input_tensor)

                    # compute the gradients of the predicted values wrt the input which is (x, y)
                    gradients = tape2.gradient(predicted_values, self.input_tensor)
                    pred_grad_x = gradients[:, 0]
                    pred_grad_y = gradients[:, 1]

                tape1.watch(gradients)

            # Compute the second order derivatives
            second_order_derivatives = tape1.gradient(gradients, self.input_tensor)
            pred_grad_xx = second_order_derivatives[:, 0]
            pred_grad_yy = second_order_derivatives[:, 1]

            pde_residual = self.loss_function(
                pred_nn=predicted_values,
                pred_grad_x_nn=pred_grad_x,
                pred_grad_y_nn=pred_grad_y,
                pred_grad_xx_nn=pred_grad_xx,
                pred_grad_yy_nn=pred_grad_yy,
                forcing_function=self.force_matrix,
                bilinear_params=bilinear_params_dict,
            )

            # Compute the total loss for the PDE
            total_pde_loss = total_pde_loss + pde_residual

            # print shapes of the predicted values and the actual values
            boundary_loss = tf.reduce_mean(
                tf.square(predicted_values_dirichlet - self.dirichlet_actual), axis=0
            )

            # Compute Total Loss
            total_loss = total_pde_loss + beta * boundary_loss

        trainable_vars = self.trainable_variables
        self.gradients = tape.gradient(total_loss, trainable_vars)
        self.optimizer.apply_gradients(zip(self.gradients, trainable_vars))

        return {
            "loss_pde": total_pde_loss,
            "loss_dirichlet": boundary_loss,
            "loss": total_loss,
        }
