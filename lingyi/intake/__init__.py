"""Returns coming in: a file's bytes checked (``files``), its tables read (``reading``, ``headers``, ``info``,
``raw``), its values judged against the contract (``validation``, ``outliers``; 12345 exports by ``tickets``),
checked against the rows a year earlier (``prior_year``), what it would replace said (``replacements``), made into
the store's submissions (``submissions``) and stored (``ingest``; a folder checked in forked processes by
``workers``), and what the analyst is handed back (``feedback``, ``templates``, ``instructions``).

Rule: every file is judged on its own, and a file's fault is a located ``Finding`` (file, sheet, row, column,
value) in Chinese, never an exception that stops the batch; nothing here writes to the store.
"""
