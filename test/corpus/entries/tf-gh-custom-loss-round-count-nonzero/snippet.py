def custom_loss(self,output,prediction):

    correct_count=tf.math.count_nonzero(tf.math.equal(tf.round(prediction),tf.cast(output,tf.float32)))
    incorrect_count=prediction.shape[0]-correct_count

    incorrect_label_count=tf.where(output==0.0).shape[0]
