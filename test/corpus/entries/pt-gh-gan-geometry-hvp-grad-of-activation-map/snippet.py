img = self.model.visualize(perturb_vecs)
resz_img = self.preprocess(img)
activs = self.objective(resz_img)  # , scaler=True
# obj = alexnet.features[:10](resz_img)[:, :, 6, 6].sum()  # esz_img.std()
ftgrad_both = torch.autograd.grad(activs, perturb_vecs, retain_graph=False, create_graph=False, only_inputs=True)[0]
