"""The CLI points Prefect at a server (and its secret) before Prefect is first imported."""

import subprocess
import sys


def test_importing_the_cli_does_not_import_prefect():
    code = (
        "import sys, l10n.cli.app\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'prefect')\n"
        "print(loaded[:3])\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, "l10n.cli imported Prefect at import time: " + result.stdout
