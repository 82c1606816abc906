import torch
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader
from torch.autograd import Variable, grad

class Net_WAAL:
	def train(self, data, X_labeled, Y_labeled,X_unlabeled, Y_unlabeled, alpha = 1e-3):
		n_epoch = self.params['n_epoch']

		dim = data.X.shape[1:]
		self.fea = self.net_fea(dim = dim, pretrained = self.params['pretrained'], num_classes = self.params['num_class']).to(self.device)
		self.clf = self.net_clf(dim = dim, pretrained = self.params['pretrained'], num_classes = self.params['num_class']).to(self.device)
		self.dis = self.net_dis(dim = self.fea.get_embedding_dim()).to(self.device)
		# setting three optimizers
		if self.params['optimizer'] == 'Adam':
			opt_fea = optim.Adam(self.fea.parameters(), **self.params['optimizer_args'])
			opt_clf = optim.Adam(self.clf.parameters(), **self.params['optimizer_args'])
			opt_dis = optim.Adam(self.dis.parameters(), **self.params['optimizer_args'])
		gamma_ratio = 1
		loader_tr = DataLoader(self.handler_joint(X_labeled, Y_labeled,X_unlabeled, Y_unlabeled,
											transform = self.params['transform_train']), shuffle= True, **self.params['loader_tr_args'])
		for epoch in tqdm(range(1, n_epoch+1), ncols=100):
			self.fea.train()
			self.clf.train()
			self.dis.train()
			for index, label_x, label_y, unlabel_x, _ in loader_tr:
				label_x, label_y = label_x.to(self.device), label_y.to(self.device)
				unlabel_x = unlabel_x.to(self.device)
				# training feature extractor and predictor
				self.set_requires_grad(self.fea,requires_grad=True)
				self.set_requires_grad(self.clf,requires_grad=True)
				self.set_requires_grad(self.dis,requires_grad=False)
				lb_z   = self.fea(label_x)
				unlb_z = self.fea(unlabel_x)
				opt_fea.zero_grad()
				opt_clf.zero_grad()
				lb_out, _ = self.clf(lb_z)
				# prediction loss (deafult we use F.cross_entropy)
				pred_loss = torch.mean(F.cross_entropy(lb_out,label_y))
				# Wasserstein loss (unbalanced loss, used the redundant trick)
				wassertein_distance = self.dis(unlb_z).mean() - gamma_ratio * self.dis(lb_z).mean()
				with torch.no_grad():

					lb_z = self.fea(label_x)
					unlb_z = self.fea(unlabel_x)

				gp = self.gradient_penalty(self.dis, unlb_z, lb_z)
				loss = pred_loss + alpha * wassertein_distance + alpha * gp * 5
				loss.backward()
				opt_fea.step()
				opt_clf.step()

	def set_requires_grad(self, model, requires_grad=True):
		for param in model.parameters():
			param.requires_grad = requires_grad
	# setting gradient penalty for sure the lipschitiz property
	def gradient_penalty(self, critic, h_s, h_t):
		''' Gradeitnt penalty approach'''
		alpha = torch.rand(h_s.size(0), 1).to(self.device)
		differences = h_t - h_s
		interpolates = h_s + (alpha * differences)
		interpolates = torch.cat([interpolates, h_s, h_t]).requires_grad_()
		# interpolates.requires_grad_()
		preds = critic(interpolates)
		gradients = grad(preds, interpolates,
						 grad_outputs=torch.ones_like(preds),
						 retain_graph=True, create_graph=True)[0]
		gradient_norm = gradients.norm(2, dim=1)
		gradient_penalty = ((gradient_norm - 1)**2).mean()

		return gradient_penalty 
