import jax
import jax.numpy as jnp

def main_fn(logits, where, curse):
    """
    logit: t
    where: t
    returns: ()
    """
    attn = jax.nn.softmax(logits, axis=0, where=where, initial=-1e6) # t
    if curse:
        attn = attn * jnp.sum(attn) ** -1
    return jnp.sum(attn * -jnp.log2(attn), where=where, initial=1.0)

if __name__ == '__main__':
    ...
