"""The top of the CLI: every command has help, and a reader that goes away is not an error."""
import subprocess
import sys

from click.testing import CliRunner

from graphkit.cli import main


def test_every_command_has_help_text():
    runner = CliRunner()
    for name, command in main.commands.items():
        assert command.help, f"`graphkit {name}` has no help"
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name


def test_a_closed_pipe_ends_quietly():
    reader = subprocess.Popen([sys.executable, "-c", "from graphkit.cli import main; main()", "queries"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.close()  # before the command starts writing, so its first write meets a closed pipe
    stderr = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 0
    assert "Traceback" not in stderr and "internal error" not in stderr
