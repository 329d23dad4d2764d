"""Money and SMS pricing: amounts as Decimal, and how many segments a text costs.

A message costs ``price_per_segment`` times its segments, counted by the SDK's
own :func:`ziett.sms.segments` (GSM-7 160 / 153 per part, else UCS-2 70 / 67,
escape and surrogate pairs never split), so what ``ziett.sms.analyze`` predicts
is what the sandbox bills; a batch is charged up front for every recipient.
Amounts are :class:`~decimal.Decimal` and written without exponent, never floats.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Final

from ziett.sms import segments

__all__ = ["FUNDS_BATCH", "FUNDS_MESSAGE", "decimal", "money", "segments"]

FUNDS_MESSAGE: Final = (
    "Your account balance is too low to process this request. Please top up your credits."
)
FUNDS_BATCH: Final = (
    "Your account balance is too low to process this batch request. Please top up your credits."
)


def money(amount: Decimal) -> str:
    """``amount`` as the API writes it (a decimal string, no exponent).

    :param amount: the amount.
    """
    return format(amount, "f")


def decimal(value: Decimal | int | str, name: str) -> Decimal:
    """``value`` as a finite Decimal.

    :param value: an amount (a float is refused by type: write it as a string).
    :param name: the argument's name, for the error message.
    :raises ValueError: when ``value`` is not a finite decimal amount.
    """
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{name} must be a decimal amount, got {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    return amount
