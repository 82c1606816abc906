def f_model(self):
    # Using the new GradientTape paradigm of TF2.0,
    # which keeps track of operations to get the gradient at runtime
    with tf.GradientTape(persistent=True) as tape:
        # Watching the two inputs we’ll need later, x and t
        tape.watch(self.x_f)
        tape.watch(self.t_f)
        # Packing together the inputs
        X_f = tf.stack([self.x_f[:, 0], self.t_f[:, 0]], axis=1)

        # Getting the prediction
        u = self.model(X_f)
        # Deriving INSIDE the tape (since we’ll need the x derivative of this later, u_xx)
        u_x = tape.gradient(u, self.x_f)

    # Getting the other derivatives
    u_xx = tape.gradient(u_x, self.x_f)
    u_t = tape.gradient(u, self.t_f)

    # Letting the tape go
    del tape

    nu = self.get_params(numpy=True)

    # Buidling the PINNs
    return u_t + u*u_x - nu*u_xx
