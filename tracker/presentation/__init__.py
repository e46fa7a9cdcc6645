"""What the pages, the admin and the downloads show of the stored results, below all three: counts and
ratios in words (numbers), names and labels, sentences, "all sides" (sides), charts, maps, the event
page's panels, the lists' rows and their paging. It reads the models and the rules, never a view."""
