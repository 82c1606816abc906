import tensorflow as tf


class DenseModel(tf.keras.Model):
    ...

    @tf.function
    def train_step(self, beta=10, bilinear_params_dict=None) -> dict:
        with tf.GradientTape(persistent=True) as tape:
            # Predict boundary values
            predicted_values_dirichlet = self(self.dirichlet_input, training=True)

            total_loss = 0.0
            
            with tf.GradientTape(persistent=True) as tape1:
                tape1.watch(self.input_tensor)

                predicted_values = self(self.input_tensor, training=True)
                    
                gradients = tape1.gradient(predicted_values, self.input_tensor)

                grad_x = gradients[:, 0:1]
                grad_y = gradients[:, 1:2]

            # Compute Laplacian
            pred_grad_xx = tape1.gradient(grad_x, self.input_tensor)[:, 0:1]
            pred_grad_yy = tape1.gradient(grad_y, self.input_tensor)[:, 1:2]

            pde_residual = self.loss_function(
                pred_nn=predicted_values,
                pred_grad_x_nn=grad_x,
                pred_grad_y_nn=grad_y,
                pred_grad_xx_nn=pred_grad_xx,
                pred_grad_yy_nn=pred_grad_yy,
                forcing_function=self.force_matrix,
                bilinear_params=bilinear_params_dict,
            )

            # Boundary conditions
            boundary_loss = tf.reduce_mean(
                tf.square(predicted_values_dirichlet - self.dirichlet_actual)
            )

            total_loss = pde_residual + beta * boundary_loss

        trainable_vars = self.trainable_variables
        self.gradients = tape.gradient(total_loss, trainable_vars)
        self.optimizer.apply_gradients(zip(self.gradients, trainable_vars))

        return {
            "loss_pde": pde_residual,
            "loss_dirichlet": boundary_loss,
            "loss": total_loss,
        }
