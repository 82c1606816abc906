class SubModel(eqx.Module):
    linear: eqx.nn.Linear

class Model(eqx.Module):
    linear: eqx.nn.Linear
    submodel: SubModel

    def __init__(self):
        linear = eqx.nn.Linear(...)
        self.linear = linear
        self.submodel = SubModel(linear)
