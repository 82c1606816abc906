output = Lambda(lambda x: K.round(K.clip(x)))(input)
