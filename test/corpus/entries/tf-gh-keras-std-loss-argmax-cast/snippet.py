def StdLoss(y_true, y_pred):
    label = K.cast(K.argmax(y_pred, axis= 1), dtype='float32')
    return K.std(label, axis = 0, keepdims=True)
