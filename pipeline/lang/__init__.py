"""Knowledge of Russian: morphology, word repairs, dates.

Language facts (month names, document kinds, header words, positions) live
in ``data/*.toml``; the code here is the machinery that reads them.
"""
