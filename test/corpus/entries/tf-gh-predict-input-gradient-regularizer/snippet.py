def keras_loss(y_true,y_pred,X,lambda_, model):

        X_tensor = tf.convert_to_tensor(X)
        with tf.GradientTape() as inp_tape:
          inp_tape.watch(X_tensor)
          pred = model.predict(X_tensor,batch_size=None, steps=None)
          inp_grad_reg_loss = tf.keras.losses.categorical_crossentropy(y_true,pred)
        inpgrad = inp_tape.gradient(inp_grad_reg_loss,X_tensor)
        return inp_grad_reg_loss + lambda_*(tf.norm(inpgrad))
