"""The command line, ``python -m lingyi``: each command reads its arguments, makes one call into the core and
prints what a person needs to know, in Chinese (``monthly``: the briefing and chase made on a schedule).

Rule: nothing here computes a figure or judges a file; exit codes are 0 done, 1 a file or figure refused, 2 the
arguments were wrong.
"""
