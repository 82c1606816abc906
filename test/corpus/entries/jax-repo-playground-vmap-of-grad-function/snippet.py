def f(x):
    return 0.5 * x**2

def der1_f(x):
    return grad(f)(x)

def f_vect(inputs):
    return vmap(f)(inputs)
    
def der1_f_vect(inputs):
    return vmap(der1_f)(inputs)
