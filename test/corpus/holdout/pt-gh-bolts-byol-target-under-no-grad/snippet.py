# Image 1 to image 2 loss
y1, z1, h1 = self.online_network(img_1)
with torch.no_grad():
    y2, z2, h2 = self.target_network(img_2)
loss_a = -2 * F.cosine_similarity(h1, z2).mean()


# Image 2 to image 1 loss
y1, z1, h1 = self.online_network(img_2)
with torch.no_grad():
    y2, z2, h2 = self.target_network(img_1)
# L2 normalize
loss_b = -2 * F.cosine_similarity(h1, z2).mean()
