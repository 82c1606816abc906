class TwoStageModel(BaseModel):
    def compute_gradient_penalty(self, input_concat, real_data, fake_data, not_comb=True):
        alpha = torch.rand(list(input_concat.size())[0], 1, 1, 1)
        alpha = alpha.expand(real_data.size()).cuda()

        interpolates = (alpha * real_data + ((1 - alpha) * fake_data)).cuda()
        interpolates = torch.autograd.Variable(interpolates, requires_grad=True)

        if not_comb:
            pred_interpolates = self.netD.forward(torch.cat((input_concat, interpolates), dim=1))
        else:
            pred_interpolates = self.comb_netD.forward(torch.cat((input_concat, interpolates), dim=1))

        gradient_penalty = 0
        if isinstance(pred_interpolates[0], list):
            for cur_pred in pred_interpolates:
                gradients = torch.autograd.grad(outputs=cur_pred[-1], inputs=interpolates,
                                          grad_outputs=torch.ones(cur_pred[-1].size()).cuda(),
                                          create_graph=True, retain_graph=True, only_inputs=True)[0]

                gradient_penalty += ((gradients.norm(2, dim=1) - 1) ** 2).mean()
        else:
            sys.exit('The output of D should be a list (or lists for multi-scale D)')

        gradient_penalty = (gradient_penalty / self.opt.num_D) * 10
        return gradient_penalty
