"""Money and SMS pricing: amounts as Decimal, and how many segments a text costs.

A message costs ``price_per_segment`` times its segments (GSM-7: 160 characters,
153 per part; otherwise UCS-2: 70, 67 per part); a batch is charged up front for
every recipient. Amounts are :class:`~decimal.Decimal` and written with two or
more decimals, never floats.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Final

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


_GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")


def segments(text: str) -> int:
    """Parts of an SMS: GSM-7 160 (153 per part), else UCS-2 70 (67 per part).

    :param text: the message's content.
    """
    if all(char in _GSM7_BASIC or char in _GSM7_EXTENSION for char in text):
        units = sum(2 if char in _GSM7_EXTENSION else 1 for char in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)
