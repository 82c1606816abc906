normalized_diff_i = a_diff / (
    xp.linalg.vector_norm(a_diff, axis=-1, keepdims=True) + 1e-6
)
