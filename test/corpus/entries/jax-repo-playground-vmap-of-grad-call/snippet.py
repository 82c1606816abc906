def f(x):
    return 0.5 * x**2

def der1_f(x):
    return grad(f)(x)

def der2_f(x):
    #return grad(der1_f)(x)
    return grad(grad(f))(x)

def der2_f_vect(inputs):
    return vmap(der2_f(inputs))

x = random.normal(key, (batch_size,))

x, der1_f_vect(x), der2_f_vect(x) 
