"""Speed benchmark internals (``benchmarks/speed.py`` is the command).

Modules: ``traces`` (firmware_sim traces cached as canonical CSVs), ``timing`` (medians of repeats,
CPU time), ``worker`` (one stage in a fresh process: wall time, peak RSS, tracemalloc peak),
``stages`` (load / analyze / CLI / report / memory / peers per trace), ``live`` (codecs and
LiveAnalyzer CPU per second of streamed data), ``table`` (text and markdown output).
"""
