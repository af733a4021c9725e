"""pycore: the numpy math behind Microscale's lessons; runs unchanged in CPython and Pyodide."""
