import numpy, tensorflow
x = tensorflow.Variable([[1], [1]], dtype="float64")
with tensorflow.GradientTape(persistent=True) as t:
    with tensorflow.GradientTape() as tt:
        obj = x[0]**2 + x[1]**2 + x[0]*x[1]
    dx = tt.gradient(obj, x)
print(t.batch_jacobian(dx, x).numpy())
