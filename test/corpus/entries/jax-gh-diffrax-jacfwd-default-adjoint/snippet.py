y0 = jnp.array([2., 3.])

def get_solution(y0):
    def f(t, y, args):
        return -y
    term = dfx.ODETerm(f)
    solver = dfx.Dopri5()
    solution = dfx.diffeqsolve(
               term, solver, t0=0, t1=1, dt0=0.1, y0=y0)
    return solution

print(jax.jacfwd(get_solution)(y0))
