decoder_jac = hk.transform(lambda z: jacfwd(Decoder())(z))
