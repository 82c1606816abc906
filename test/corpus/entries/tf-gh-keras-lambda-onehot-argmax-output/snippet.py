def decodeSignal(x):
    x = softmax(x)
    Y = K.one_hot(K.argmax(x), num_classes=M)
    return Y
    

input_layer = Input(shape=(M,))

# Relay
relay = Dense(M,activation='relu')(input_layer)
relay = Dense(M,)(relay)
relay_softmax = Lambda(decodeSignal,output_shape=(M,))(relay)


model = Model(input_layer,relay_softmax)
model.compile(optimizer=Adam(lr=.001),loss='categorical_crossentropy')
print(model.summary())
model.fit(onehot_symbols,onehot_symbols,epochs=1000,shuffle=True,verbose=False)
