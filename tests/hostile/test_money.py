"""Money is exactly the decimal the server wrote, as a JSON string or a JSON number.

NaN, infinities and more than 18 digits on either side of the point are refused with
APIResponseValidationError naming the field; nothing goes through a binary float.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ziett
from tests.hostile.profiles import HOSTILE
from tests.hostile.server import MESSAGE, OPERATIONS, Clients, Number, dump

RETRIEVE = next(op for op in OPERATIONS if op.name == "messages.retrieve")
LIST = next(op for op in OPERATIONS if op.name == "messages.list")
FLAVOURS = ["sync", "async"]

amounts = st.builds(
    lambda sign, whole, fraction: f"{sign}{whole}{'.' + fraction if fraction else ''}",
    st.sampled_from(["", "-"]),
    st.integers(0, 10**18 - 1),
    st.text("0123456789", max_size=18),
)


@pytest.mark.parametrize("flavour", FLAVOURS)
@HOSTILE
@given(amount=amounts, as_number=st.booleans())
def test_an_amount_is_the_decimal_written(
    clients: Clients, flavour: str, amount: str, as_number: bool
) -> None:
    wire = Number(amount) if as_number else amount
    clients.server.answer(RETRIEVE, dump({**MESSAGE, "cost": wire}))
    message = clients.run(flavour, RETRIEVE)
    assert type(message.cost) is Decimal
    written = Decimal(amount)
    if written.is_zero():  # a JSON integer -0 reads as 0: the same amount, without the sign
        written = abs(written)
        assert message.cost == written and message.cost.as_tuple()[1:] == written.as_tuple()[1:]
    else:
        assert message.cost.as_tuple() == written.as_tuple()  # the same digits, exponent


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_three_costs_of_a_tenth_sum_to_three_tenths(clients: Clients, flavour: str) -> None:
    entries = [{**MESSAGE, "cost": Number("0.1")}] * 3
    clients.server.answer(LIST, dump({**LIST.answer, "entries": entries, "total": 3}))
    (page,) = clients.run(flavour, LIST)
    assert sum(message.cost for message in page.entries) == Decimal("0.3")
    assert str(page.entries[0].cost) == "0.1"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    "wire",
    [
        "NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "1000000000000000000",  # 19 integer digits
        "0.0000000000000000001",  # 19 fraction digits
        Number("1e400"),
        Number("NaN"),
        Number("Infinity"),
        Number("12345678901234567890"),
        "3,50",
        "",
        True,
        None,
    ],
)
def test_what_is_not_an_amount_is_refused(clients: Clients, flavour: str, wire: object) -> None:
    clients.server.answer(RETRIEVE, dump({**MESSAGE, "cost": wire}))
    with pytest.raises(ziett.APIResponseValidationError) as caught:
        clients.run(flavour, RETRIEVE)
    assert caught.value.path in ("cost", "")  # "" when the JSON itself is not JSON (NaN)
    assert caught.value.may_have_been_sent is False
