def model():
	model = Sequential()
	model.add(LSTM(512, input_shape=(MAX_SEQUENCE_LENGTH, NOISE_SIZE), return_sequences=True))
	model.add(Dropout(0.2))
	model.add(TimeDistributed(Dense(NB_WORDS, activation="softmax")))
	model.add(Lambda(soft_to_one, output_shape=output_shape_lambda))
	return model

def softmax_to_onehot(t):
	k_max = K.max(t, keepdims=True, axis=2)
	equal = K.equal(t, k_max)
	return K.cast(equal, 'float32')
