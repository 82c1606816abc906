rng=jax.random.PRNGKey(128)
mlp = nn.MLP(in_size=2,out_size=1,width_size=80,depth=3,key=rng)

def mlp_hack(x):
  out = mlp(x)
  return jp.reshape(out,())

point = jax.random.uniform(rng,(3,2))
jax.vmap(jax.grad(mlp_hack))(point)
