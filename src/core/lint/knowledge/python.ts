/** Python's builtins: an unbound name in this set is the builtin; any other unbound name is an unknown value. */
export const PYTHON_BUILTINS = new Set([
  'abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr',
  'classmethod', 'compile', 'complex', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec', 'filter', 'float',
  'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id', 'input', 'int', 'isinstance',
  'issubclass', 'iter', 'len', 'list', 'locals', 'map', 'max', 'memoryview', 'min', 'next', 'object', 'oct', 'open', 'ord',
  'pow', 'print', 'property', 'range', 'repr', 'reversed', 'round', 'set', 'setattr', 'slice', 'sorted', 'staticmethod',
  'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip', '__import__', 'Exception', 'ValueError', 'TypeError',
  'RuntimeError', 'KeyError', 'IndexError', 'AttributeError', 'NotImplementedError', 'StopIteration', 'AssertionError',
  'ZeroDivisionError', 'OSError', 'IOError', 'ImportError', 'NameError', 'Warning', 'UserWarning', 'NotImplemented',
  'Ellipsis', '__name__', '__file__',
]);

/**
 * Builtins that quoted fragments shadow with data: `model(input)` with `input` defined elsewhere is the model's input
 * batch, never the builtin function (which no model or loss takes). Passed as an argument to a callable the analysis
 * cannot see, such a name is an unknown value, as any other name defined elsewhere.
 */
export const DATA_SHADOWED_BUILTINS: ReadonlySet<string> = new Set(['input']);
