from process.heat.scale import *
import deepxde as dde
from material import concreteData

def lp_residual(x,y, scale: Scale): 
    T_t=dde.grad.jacobian(y, x, i=0, j=2)
    T_xx=dde.grad.hessian(y, x, i=0, j=0)
    T_yy=dde.grad.hessian(y, x, i=0, j=1)
    alpha = concreteData.alpha_thermal_diffusivity

    pi_one = scale.t / scale.L**2 # [-]
    return T_t - alpha * (T_xx + T_yy) * pi_one


def steady_lp_residual(x, y, scale: Scale):
    T_xx=dde.grad.hessian(y, x, i=0)
    T_yy=dde.grad.hessian(y, x, i=1)
    # kein Scaling weil kein Q
    return T_xx + T_yy
