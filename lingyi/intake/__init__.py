"""Returns coming in: a file's bytes checked (``files``), its tables read (``reading``, ``headers``, ``info``,
``raw``), its values judged against the contract (``validation``, ``outliers``; 12345 exports by ``tickets``),
what it would replace said (``replacements``), and what the analyst is handed back (``feedback``, ``templates``,
``instructions``).

Rule: every file is judged on its own, and a file's fault is a located ``Finding`` (file, sheet, row, column,
value) in Chinese, never an exception that stops the batch; nothing here writes to the store.
"""
