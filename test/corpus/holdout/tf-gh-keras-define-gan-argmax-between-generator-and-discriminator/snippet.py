def define_gan(g_model, d_model,timestep):

    discriminator.trainable = False
    generator.trainable= True

    a = Input(shape=(timestep,))
    b = g_model(a)
    c=K.argmax(b,axis=-1)
    output_d = d_model(c)
    model = Model(inputs=a,outputs=output_d)

    # compile model
    opt = Adam(lr=0.0002, beta_1=0.5)
    model.compile(loss=['binary_crossentropy'], optimizer=opt,metrics=['accuracy'])
    model.summary()
    return model
