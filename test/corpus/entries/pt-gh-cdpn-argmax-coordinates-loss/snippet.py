output_coor_x_ = output_coor_x_.squeeze()
output_coor_y_ = output_coor_y_.squeeze()
output_coor_z_ = output_coor_z_.squeeze()

####

output_coor_ = torch.stack([torch.argmax(output_coor_x_, axis=0),
                         torch.argmax(output_coor_y_, axis=0),
                         torch.argmax(output_coor_z_, axis=0)], axis=2)
output_coor_[output_coor_ == cfg.network.coor_bin] = 0
output_coor_ = 2.0 * output_coor_.float() / (63.0-1.0) - 1.0      # [-1,1]
