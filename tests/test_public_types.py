"""The types reach a user: mypy --strict on a user's program, against the built wheel.

The wheel is built and installed into a scratch virtual environment (once for this
module, with scripts/verify_types.py's install_wheel), so what is checked is what a
user installs, not this checkout: both packages' py.typed markers, the generated
models behind ziett's results, Decimal money. The program is type-checked only,
never run.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = """\
from ziett import AsyncZiett, Ziett
from ziett_client.api.messages import retrieve_message

client = Ziett(api_key="zk_test_0123456789abcdefghijklmnopqr")
accepted = client.messages.send(
    remitter_id="019b4b56-e704-7c30-83a0-527df63c3e00",
    target_e164="+244990090990",
    content="Your code is 482910.",
)
reveal_type(accepted)  # SEND
message = client.messages.retrieve(accepted.message_id)
reveal_type(message.status)  # STATUS
reveal_type(message.cost)  # COST
for item in client.messages.list():
    reveal_type(item)  # ITEM
reveal_type(client.campaigns.retrieve("019b4b57-0a1b-7c2d-9e3f-4a5b6c7d8e9f"))  # CAMPAIGN
reveal_type(retrieve_message.build_request("abc"))  # REQUEST


async def main() -> None:
    async with AsyncZiett() as aclient:
        async for entry in aclient.messages.list():
            reveal_type(entry)  # AITEM
"""

EXPECTED = {
    "SEND": "ziett_client.models.send_message_accepted.SendMessageAccepted",
    "STATUS": "ziett_client.models.message_status.MessageStatus",
    "COST": "decimal.Decimal",
    "ITEM": "ziett_client.models.message.Message",
    "CAMPAIGN": "ziett_client.models.campaign.Campaign",
    # mypy spells a NamedTuple as its fields, then the class.
    "REQUEST": "tuple[str, str, str, dict[str, Any] | None, Any, "
    "fallback=ziett_client.types.RequestSpec]",
    "AITEM": "ziett_client.models.message.Message",
}


def _verify_types() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_types", ROOT / "scripts/verify_types.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a scratch venv with this repository's wheel installed."""
    python: Path = _verify_types().install_wheel(tmp_path_factory.mktemp("wheel"))
    return python


def _mypy(program: str, python: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    (folder / "user.py").write_text(program)
    (folder / "mypy.ini").write_text("[mypy]\n")  # none of this checkout's settings
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            "mypy.ini",
            "--cache-dir",
            str(folder / ".mypy_cache"),
            "--python-executable",
            str(python),
            "user.py",
        ],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=300,
    )


def test_a_users_program_sees_the_models_types(installed: Path, tmp_path: Path) -> None:
    result = _mypy(PROGRAM, installed, tmp_path)
    assert "error:" not in result.stdout, result.stdout
    revealed = _revealed(result.stdout)
    assert revealed == EXPECTED, result.stdout


def _revealed(output: str) -> dict[str, str]:
    lines = PROGRAM.splitlines()
    found: dict[str, str] = {}
    for line, revealed in re.findall(
        r'^user\.py:(\d+): note: Revealed type is "([^"]+)"', output, re.MULTILINE
    ):
        tag = lines[int(line) - 1].rsplit("# ", 1)[-1]
        found[tag] = revealed
    return found


def test_the_check_is_not_vacuous(installed: Path, tmp_path: Path) -> None:
    """A wrong use of a result is an error for the user's mypy (no Any leaks through)."""
    wrong = PROGRAM + "\ncost: str = message.cost\nstatus: int = message.status\n"
    result = _mypy(wrong, installed, tmp_path)
    assert result.returncode == 1
    assert 'Incompatible types in assignment (expression has type "Decimal"' in result.stdout
    assert 'Incompatible types in assignment (expression has type "MessageStatus"' in result.stdout
