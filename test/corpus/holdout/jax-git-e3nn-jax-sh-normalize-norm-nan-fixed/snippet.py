import jax
import jax.numpy as jnp


def spherical_harmonics(
    irreps_out: Union[Irreps, int, Sequence[int]],
    input: Union[IrrepsArray, jnp.ndarray],
    normalize: bool,
    normalization: str = None,
    *,
    algorithm: Tuple[str] = None,
) -> IrrepsArray:
    ...
    if isinstance(input, IrrepsArray):
        [(mul, ir)] = input.irreps
        assert mul == 1
        assert ir.l == 1
        assert all([ir.p == p for _, (l, p) in irreps_out if l % 2 == 1])
        x = input.array
    else:
        x = input

    assert x.shape[-1] == 3
    if normalize:
        r2 = jnp.sum(x**2, axis=-1, keepdims=True)
        r2 = jnp.where(r2 == 0.0, 1.0, r2)
        x = x / jnp.sqrt(r2)

    sh = _jited_spherical_harmonics(tuple(ir.l for _, ir in irreps_out), x, normalization, algorithm)
    sh = [jnp.repeat(y[..., None, :], mul, -2) if mul != 1 else y[..., None, :] for (mul, ir), y in zip(irreps_out, sh)]
    return IrrepsArray.from_list(irreps_out, sh, x.shape[:-1], x.dtype)
