"""The pages staff work in: the views, the link review, downloads' names, tokens and languages. What they
show is worded and drawn in tracker.presentation."""
