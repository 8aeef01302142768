"""Text utilities shared by layouts, lint and sources: Markdown blocks, times, durations, and
the kind of event a line of text describes.

Like ``model``, this package uses nothing else of Hindsight's and does no I/O.
"""
