import flax.linen as nn

rng = jax.random.PRNGKey(0)

X = jax.random.normal(rng, (2, 8))             # the batch dim is 2, which has the problem
target = jax.random.normal(rng, (2, 2))     # the batch dim is 2, which has the problem

A = jax.random.normal(rng, (4, 2))
W1_init = jax.random.normal(rng, (8, 16))
W2_init = jax.random.normal(rng, (16, 4))

LN = nn.LayerNorm(use_bias=False)
LN_params = LN.init(rng, jnp.ones((1, 2)))['params']

def loss(W1, W2, LN_params, A, X, target):
    XWA = X @ W1 @ W2 @ A
    LN_out = LN.apply({"params": LN_params}, XWA)
    l = 0.5 * ((LN_out - target) ** 2).sum()
    return l

grad_fn = jax.value_and_grad(loss, argnums=[0,1])

l1, grads = vmap(partial(grad_fn, W1_init, W2_init, LN_params, A))(X.reshape(-1,1,8), target.reshape(-1,1,2))

grad_w1, grad_w2 = grads[0], grads[1]

print(grad_w1[0])  # all 0 !!!
print(grad_w2[0])  # all 0 !!!
