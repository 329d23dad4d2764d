"""Types for annotating code around the SDK, beside the models exported by ``ziett``.

:class:`RequestOptions` spells the per-call options every method takes as keyword
arguments (``timeout``, ``max_retries``, ``deadline``), for code that passes them
along: ``client.messages.retrieve(message_id, **options)``.
"""

from ziett._transport import RequestOptions

__all__ = ["RequestOptions"]
