@tf.function
def train_step(image):
    with tf.GradientTape() as tape:
        outputs = extractor(image)
        content_losses, style_losses, tv_losses = compute_loss(image, outputs, shape_dict=extractor.shape_dict)
        loss = content_losses + style_losses + tv_losses

    grad = tape.gradient(loss, image)
    optimizer.apply_gradients([(grad, image)])
    # tf.print("C Loss ", content_losses, "| S Loss : ", style_losses, "| TV Loss : ", tv_losses)
    return loss


if "content" in args.init_image or "gray" in args.init_image:
    x = preprocess_image(base_image_path, True, read_mode=read_mode)
elif "noise" in args.init_image:
    x = np.random.uniform(0, 255, (1, img_width, img_height, 3)) - 128.
    x = x.astype('float32')

    if K.image_data_format() == "channels_first":
        x = x.transpose((0, 3, 1, 2))
else:
    print("Using initial image : ", args.init_image)
    x = preprocess_image(args.init_image, read_mode=read_mode)

# Make input trainable
x = tf.Variable(x)
