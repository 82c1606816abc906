from functools import partial
from typing import Tuple

import jax
from jax._src.typing import Array

from jaxdecomp._src.fft_utils import FftType  # yapf: disable
from jaxdecomp._src.fft_utils import ADJOINT, FORWARD_FFTs, fft, fft2, fftn
from jaxdecomp._src.pencil_utils import get_output_specs, get_transpose_order
from jaxdecomp._src.spmd_ops import CustomParPrimitive  # yapf: disable


class JAXFFTPrimitive(CustomParPrimitive):
  """
  JAX Custom FFT primitive for performing FFT operations on distributed data.
  """

  name = 'jax_fft'
  multiple_results = False
  impl_static_args: Tuple[int, ...] = (1, 2)
  outer_primitive = None

  @staticmethod
  def impl(x: Array, fft_type: FftType, adjoint: bool) -> Array:
    transpose_order = get_transpose_order(fft_type)
    return fftn(x, fft_type, adjoint=adjoint).transpose(transpose_order)

  ...


@partial(jax.jit, static_argnums=(1, 2))
def pfft_impl(x: Array, fft_type: FftType, adjoint: bool) -> Array:
  return JAXFFTPrimitive.outer_lowering(x, fft_type=fft_type, adjoint=adjoint)


@partial(jax.custom_vjp, nondiff_argnums=(1, 2))
def pfft(x: Array, fft_type: FftType, adjoint: bool = False) -> Array:
  output, _ = _pfft_fwd_rule(x, fft_type=fft_type, adjoint=adjoint)
  return output


def _pfft_fwd_rule(x: Array, fft_type: FftType,
                   adjoint: bool) -> Tuple[Array, None]:
  return pfft_impl(x, fft_type=fft_type, adjoint=adjoint), None


def _pfft_bwd_rule(fft_type: FftType, adjoint: bool, _,
                   g: Array) -> Tuple[Array]:
  return pfft_impl(g, ADJOINT(fft_type), not adjoint),


pfft.defvjp(_pfft_fwd_rule, _pfft_bwd_rule)
