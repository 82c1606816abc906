import torch


class ImplicitFnGradientRerouting(torch.autograd.Function):

    @staticmethod
    def forward(ctx, func, event_fn, event_t, state_t):
        """ event_t is the solution to event_fn """
        ctx.func = func
        ctx.event_fn = event_fn
        ctx.save_for_backward(event_t, state_t)
        return event_t.detach(), state_t.detach()

    @staticmethod
    def backward(ctx, grad_t, grad_state):
        func = ctx.func
        event_fn = ctx.event_fn
        event_t, state_t = ctx.saved_tensors

        with torch.enable_grad():
            f_val = func(event_t, state_t)

            event_t.requires_grad_(True)
            state_t.requires_grad_(True)
            c = event_fn(event_t, state_t)
            par_dt, dstate = torch.autograd.grad(c, (event_t, state_t), allow_unused=True, retain_graph=True)
            par_dt = torch.zeros_like(event_t) if par_dt is None else par_dt
            dstate = torch.zeros_like(state_t) if dstate is None else dstate

            # Total derivative of event_fn wrt t evaluated at event_t.
            dcdt = par_dt + torch.sum(dstate * f_val)

            # Add the gradient from final state to final time value as if a regular odeint was called.
            grad_t = grad_t + torch.sum(grad_state * f_val)

            dstate = torch.autograd.grad(c, state_t, -grad_t.reshape_as(c) / (dcdt.reshape_as(c) + 1e-12), allow_unused=True, retain_graph=True)[0]
            dstate = torch.zeros_like(state_t) if dstate is None else dstate
            grad_state = grad_state + dstate

        return None, None, None, grad_state
