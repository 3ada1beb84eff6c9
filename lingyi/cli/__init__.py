"""The command line, ``python -m lingyi``: ``main`` runs a command and turns what went wrong into an exit code;
``args`` holds every command's arguments and argparse in Chinese; ``shared`` what every command uses; one module
per group of commands: ``returns`` (ingest, init, history …), ``summary``, ``admin`` (users, audit log, backups),
``meeting`` (briefing, chase, 会议版) and ``monthly`` (the briefing and chase made on a schedule).

Rule: nothing here computes a figure or judges a file; exit codes are 0 done, 1 a file or figure refused, 2 the
arguments were wrong, 3 the database stopped the command.
"""
