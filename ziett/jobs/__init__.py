"""Jobs: work that spans several API calls, written as plans of ``ziett._transport``.

- :mod:`ziett.jobs.reconcile`: settling a send whose outcome is unknown (the client's
  ``ambiguous_sends="reconcile"``): look for what the server did with the documented
  listing routes before anything is sent again.
- :mod:`ziett.jobs.journal`: the embedded, crash-safe record of a bulk send (SQLite).
- :mod:`ziett.jobs.bulk`: ``campaigns.send_bulk``, an audience of any size in paced,
  journaled, reconciled campaigns of 2..1,000 recipients.
- :mod:`ziett.jobs.lifecycle`: the waits after the 202 (``wait``, ``wait_many``,
  ``send_and_wait``, ``campaigns.wait``) and :mod:`ziett.jobs.watching` (``watch``),
  built from :mod:`ziett.jobs.polling`.
- :mod:`ziett.jobs.report`: ``campaigns.report``, a campaign's counts and money.

Nothing is imported here, so that ``import ziett`` stays cheap: the modules load
when a client in "reconcile" mode is built or a method that needs them is called.
"""
