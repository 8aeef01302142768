"""Learning across postmortems: metrics, follow-up tracking, patterns, related incidents,
review agendas, calendars and reports.

- :mod:`~hindsight.insights.collection`: the postmortems to analyse, from the store or files.
- :mod:`~hindsight.insights.metrics`: time to detect, acknowledge, mitigate, resolve (pure).
- :mod:`~hindsight.insights.health`: how soon postmortems follow incidents (pure).
- :mod:`~hindsight.insights.followups`: action items, overdue, the due-date policy (pure).
- :mod:`~hindsight.insights.patterns`: recurring services, factor themes and tags (pure).
- :mod:`~hindsight.insights.related`: similar past postmortems, BM25 in pure Python.
- :mod:`~hindsight.insights.review`: the weekly review agenda as Markdown.
- :mod:`~hindsight.insights.calendar`: action-item due dates as iCalendar.
- :mod:`~hindsight.insights.report`: the monthly report as Markdown, HTML or PDF, with
  :mod:`~hindsight.insights.charts` (matplotlib, imported only when a chart is drawn).

Full-text search lives with the store (:mod:`hindsight.store.search`). Nothing here reads the
clock: ``today`` and ``now`` are passed in. The package imports nothing itself.
"""
