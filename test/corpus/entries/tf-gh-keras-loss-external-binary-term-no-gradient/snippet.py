def mse_my_loss(y_true,y_pred):

    Q1 = K.mean(K.square(y_pred - y_true), axis=-1)    
    y_in = y_pred.numpy()	
    file_wave = './tools/data.raw'
    librosa.output.write_wav(file_wave, y_pred, 16000)
    CMD = './tools/EVAL +16000 ' + file_wave
    os.system(CMD)    
    loss = readresult()	
    return Q1 + loss  
