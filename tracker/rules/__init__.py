"""The domain rules, in pure Python: counts and their intervals, reading wording, discrepancies.

Nothing here imports Django: values in, values out, so the rules are tested on values alone.
"""
