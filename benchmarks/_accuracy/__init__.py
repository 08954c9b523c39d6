"""Accuracy benchmark internals (``benchmarks/accuracy.py`` is the command).

Modules: ``scoring`` (step matching, label agreement: pure NumPy), ``targets`` (the issue-3 targets),
``sim_sweep`` (firmware_sim design and per-case metrics), ``real`` (the real recordings and their
references), ``peer_eval`` (skdh / mobgap on the same traces), ``table`` (one table, text/markdown).
"""
