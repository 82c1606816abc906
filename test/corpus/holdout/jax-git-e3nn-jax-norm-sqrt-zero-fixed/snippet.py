def norm(array: IrrepsArray, *, squared: bool = False) -> IrrepsArray:
    """Norm of IrrepsArray.

    Args:
        array (IrrepsArray): input array
        squared (bool): if True, return the squared norm

    Returns:
        IrrepsArray: norm of the input array

    Examples:
        >>> x = e3nn.IrrepsArray("2x0e + 1e + 2e", jnp.arange(10))
        >>> e3nn.norm(x)
        2x0e+1x0e+1x0e [ 0.     1.     5.385 15.969]
    """
    jnp = _infer_backend(array.array)

    def f(x):
        if x is None:
            return None

        x = jnp.sum(x**2, axis=-1, keepdims=True)
        if not squared:
            x_safe = jnp.where(x == 0.0, 1.0, x)
            x_safe = jnp.sqrt(x_safe)
            x = jnp.where(x == 0.0, 0.0, x_safe)
        return x

    return IrrepsArray.from_list(
        [(mul, "0e") for mul, _ in array.irreps],
        [f(x) for x in array.list],
        array.shape[:-1],
        array.dtype,
    )
