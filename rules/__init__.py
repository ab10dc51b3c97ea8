"""Pure deadline engine and working-day calendar.

Nothing in this package reads files, clocks or databases: dates, events and a calendar go in,
dates and explanations come out. "Today" is always an argument.
"""
