"""Jobs: work that spans several API calls, written as plans of ``ziett._transport``.

``reconcile`` (settling a send whose outcome is unknown), ``journal`` (the crash-safe
record of a bulk send), ``bulk`` with ``bulk_lookup`` and ``bulk_retry``
(``campaigns.send_bulk``), ``lifecycle``, ``watching`` and ``polling`` (the waits after
the 202) and ``report`` (``campaigns.report``). Nothing is imported here, so that
``import ziett`` stays cheap: the modules load when a method needs them.
"""
