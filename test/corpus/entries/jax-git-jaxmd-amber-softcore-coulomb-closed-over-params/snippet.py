def energy(
  params: Parameters,
  topology: Topology,
  box_vectors: Array | float | None,
  coulomb_options: CoulombHandler = CoulombHandler(),
  nb_options: NonbondedOptions = NonbondedOptions(),
  fe_options: FEOptions = FEOptions(),
  precision: str | None = None,
  dense_mask_format: bool = True,
):
  ...

  def energy_fn(
    positions: Array,
    nbr_list: NeighborList,
    cl_lambda: Array | float = 0.0,
    lambda_q: Array | float = 1.0,
    **kwargs: Any,
  ) -> dict[str, Array]:
    _params = kwargs.pop('params', params)
    _box = kwargs.pop('box', box_vectors)
    perturbation = kwargs.pop('perturbation', None)
    bonded = _params.bonded
    nonbonded = _params.nonbonded
    result_dict = dict()
    ...

    edge_terms = pair_lj_edge_fn(
      positions,
      nbr_list,
      lj1=lj1,
      lj2=lj2,
      charge_sq=nonbonded.charges,
      **space_kwarg,
    )
    lj_edge = edge_terms[..., 0]
    coul_dir_edge = edge_terms[..., 1]

    coul_dir_pot = jnp.sum(coul_dir_edge)

    if use_softcore_vdw and use_linear_coul:
      assert pair_coul_1r_edge_fn is not None
      sc_sc_mask, _, _ = _sc_edge_masks(nbr_list)
      sc_sc_coul_1r_edge = pair_coul_1r_edge_fn(
        positions,
        nbr_list,
        charge_sq=params.nonbonded.charges,
        **space_kwarg,
      )
      sc_sc_coul_full = jnp.sum(jnp.where(sc_sc_mask, sc_sc_coul_1r_edge, 0.0))
      sc_sc_coul_addback = (1.0 - lambda_q * lambda_q) * sc_sc_coul_full
      coul_dir_pot = coul_dir_pot + sc_sc_coul_addback
      result_dict['sc_sc_coul_1r_full_pot'] = sc_sc_coul_full
      result_dict['sc_sc_coul_addback_pot'] = sc_sc_coul_addback
    ...
    return result_dict

  return energy_fn, neighbor_fn, disp_fn, shift_fn
