"""The pages staff work in, and what they show: views, words and numbers, charts, languages."""
