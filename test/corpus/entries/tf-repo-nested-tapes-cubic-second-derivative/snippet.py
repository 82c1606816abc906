import tensorflow as tf

x = tf.constant(5.0)

with tf.GradientTape() as outer_tape:
    outer_tape.watch(x)
    
    with tf.GradientTape() as inner_tape:
        inner_tape.watch(x)
        y = x **3 #the function is x cube 
    
    dy_dx = inner_tape.gradient(y, x)  # First-order derivative of y with respect to x (dy_dx = 2 * x)

d2y_dx2 = outer_tape.gradient(dy_dx, x)  # Second-order derivative of y with respect to x (d2y_dx2 = 2)

print("First-order derivative (dy_dx):", dy_dx)
print("Second-order derivative (d2y_dx2):", d2y_dx2)
