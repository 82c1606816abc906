def foo(a: Array, b: Array, c: Array) -> Array:
    return a + b + c

MyType = Callable[[Array], Array]

def bar(b: Array, c: Array) -> MyType:
    return partial(foo, b=b, c=c)

vmap(bar(b, c))
