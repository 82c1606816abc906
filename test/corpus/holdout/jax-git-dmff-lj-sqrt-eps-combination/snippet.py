import jax.numpy as jnp


def get_energy(positions, box, pairs, epsilon, sigma, epsfix, sigfix, mscales):
    
    pairs = regularize_pairs(pairs)
    mask = pair_buffer_scales(pairs)
    map_prm = self.map_prm

    eps_m1 = jnp.repeat(epsilon.reshape((-1, 1)), epsilon.shape[0], axis=1)
    eps_m2 = eps_m1.T
    eps_mat = jnp.sqrt(eps_m1 * eps_m2)
    sig_m1 = jnp.repeat(sigma.reshape((-1, 1)), sigma.shape[0], axis=1)
    sig_m2 = sig_m1.T
    sig_mat = (sig_m1 + sig_m2) * 0.5

    eps_mat = eps_mat.at[self.map_nbfix[:, 0], self.map_nbfix[:, 1]].set(epsfix)
    eps_mat = eps_mat.at[self.map_nbfix[:, 1], self.map_nbfix[:, 0]].set(epsfix)
    sig_mat = sig_mat.at[self.map_nbfix[:, 0], self.map_nbfix[:, 1]].set(sigfix)
    sig_mat = sig_mat.at[self.map_nbfix[:, 1], self.map_nbfix[:, 0]].set(sigfix)

    colv_pair = self.colvmap[pairs[:,0],pairs[:,1]]
    mscale_pair = mscales[colv_pair-1] # in mscale vector, the 0th item is 1-2 scale, the 1st item is 1-3 scale, etc...

    dr_vec = positions[pairs[:, 0]] - positions[pairs[:, 1]]
    prm_pair0 = map_prm[pairs[:, 0]]
    prm_pair1 = map_prm[pairs[:, 1]]
    eps = eps_mat[prm_pair0, prm_pair1]
    sig = sig_mat[prm_pair0, prm_pair1]

    eps_scale = eps * mscale_pair

    E_inter = get_LJ_energy(dr_vec, sig, eps_scale, box)

    return jnp.sum(E_inter * mask)
