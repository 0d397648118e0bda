"""Review: a person checks the records in a browser, and the checked records become gold.

``coopex review events.jsonl -o review/`` serves one page on 127.0.0.1 (``server``,
``page``); each decision the reviewer makes is appended to ``review/decisions.jsonl``
and fsynced before the page shows it as saved (``store``). ``coopex review export
review/ -o gold/`` writes one gold record per reviewed article (``gold``).

The folder holds:

- ``review.json``: what is reviewed (the batch output, the article folders);
- ``records.jsonl``: the records as they were when the review began (the model's
  answer; decisions refer to its events);
- ``decisions.jsonl``: every decision, in order, one JSON object a line;
- ``.lock``: held (flock) by the one server that may write here.
"""
