# model (not shown here) is Xception from tf.keras.applications
cam_model = tf.keras.models.Model(
    [model.inputs],
    [model.get_layer(conv_layer_name).output, model.output] # conv_layer_name = 'block14_sepconv2_act'
)

with tf.GradientTape() as tape:
    conv_out, predictions = cam_model(image)
    class_out = tf.argmax(predictions, axis=-1)

grads = tape.gradient(class_out, conv_out)

if grads is None: # grads is None
    raise Exception("Grad cam has recorded no gradient")
