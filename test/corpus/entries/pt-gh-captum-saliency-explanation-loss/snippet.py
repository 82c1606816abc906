sm = Saliency(vgg_model)
expl = sm.attribute(x_adv, target=17)
