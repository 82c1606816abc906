mlp = nn.MLP(in_size=2,out_size=1,width_size=80,depth=3,key=rng)
point = jax.random.uniform(rng,(2,))
print(mlp(point))
jax.grad(mlp)(point) #error: Gradient only defined for scalar-output functions. Output had shape: (1,).
