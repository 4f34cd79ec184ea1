"""`tsur … | head`: when the reader leaves early, the command ends quietly (exit 141, as a shell reports
SIGPIPE), with no traceback on stderr."""

import subprocess
import sys

# A stand-in command that prints far more than a pipe holds, run through the real `main`.
PROGRAM = """
import sys
from types import SimpleNamespace
from orchestration import cli

def many_lines(args):
    for i in range(200_000):
        print("строка", i)

cli.parser = lambda: SimpleNamespace(parse_args=lambda argv: SimpleNamespace(func=many_lines))
sys.exit(cli.main([]))
"""


def test_a_reader_that_leaves_early_gets_no_traceback():
    process = subprocess.Popen(
        [sys.executable, "-c", PROGRAM], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().startswith("строка 0")
    process.stdout.close()  # what `head -1` does after its line
    err = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert err == ""
