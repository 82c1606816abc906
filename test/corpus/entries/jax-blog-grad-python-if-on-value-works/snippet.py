import jax
import jax.numpy as jnp
def conditional_func(x):
    if x > 0:
        return x * x
    else:
        return -x

grad_conditional_func = jax.grad(conditional_func)
# What happens when x > 0?
print(grad_conditional_func(2.0))
# Output: 4.0 (Correct derivative of x*x is 2x, so 2*2=4)
# What happens when x <= 0?
try:
    print(grad_conditional_func(-2.0))
except Exception as e:
    print(f"Error: {e}")
