"""The pages staff work in: the dashboard, the event list, an event, the parties, and the list's downloads.

Every page needs a signed-in user with the permission to view what it shows: anonymous
visitors are sent to the login page, signed-in users without the permission get a 403.
"""
