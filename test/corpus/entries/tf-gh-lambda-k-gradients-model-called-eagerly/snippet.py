import tensorflow as tf
import tensorflow.keras as keras
import tensorflow.keras.layers as layers
import tensorflow.keras.backend as K

tf.keras.backend.set_floatx('float64')



def grad( y, x ):
   V =  tf.keras.layers.Lambda( lambda z: K.gradients( z[ 0 ], z[ 1 ] ), output_shape = [1] )( [ y, x ] )
   return V



fixed_input = keras.Input( shape=(2,) )

a = fixed_input * fixed_input

b = grad( a, fixed_input )


model = keras.Model( inputs = [ fixed_input ], outputs = [ b ] )



c = model( tf.constant(2.0, dtype=tf.float64))
