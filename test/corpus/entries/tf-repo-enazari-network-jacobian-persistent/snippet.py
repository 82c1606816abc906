# First Creating a neural network:
#following neural net inputs two floating numbers and outouts two floating numbers:
model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(2,1)),
    tf.keras.layers.Dense(3),
    tf.keras.layers.Dense(2)
])
model.summary()

x = tf.Variable([[2.0]])
y = tf.Variable([[3.0]])
#Persistent parameter of the GradientTape is set to True so that after first call of 
#t.gradient, t is not destroyed:
with tf.GradientTape(persistent=True) as t:
    t.watch([x,y])
    z = tf.concat([x,y],1)
    f1 = model(z)[0][0]
    f2 = model(z)[0][1]
    
 
df1_dx = t.gradient(f1, x).numpy()
df1_dy = t.gradient(f1, y).numpy()
df2_dx = t.gradient(f2, x).numpy()
df2_dy = t.gradient(f2, y).numpy()

del t
print(df1_dx,df1_dy)
print(df2_dx,df2_dy)
