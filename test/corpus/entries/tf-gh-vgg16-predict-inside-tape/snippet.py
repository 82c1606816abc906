import tensorflow as tf
from tensorflow.keras.applications.vgg16 import VGG16, preprocess_input


def vgg16_encode(vgg_input_img_tensor):
    vgg16_model = VGG16(weights='imagenet', include_top=False)
    vgg_input_img = preprocess_input(vgg_input_img_tensor)
    vgg16_output = vgg16_model.predict(vgg_input_img)
    return vgg16_output


with tf.GradientTape() as tape:
    vgg16_encode(tf.Variable(tf.ones([1, 256, 256, 3])))
