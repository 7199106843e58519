"""Every CLI command and option is documented in the README, as sqlite-utils does it."""

import pytest
from conftest import ROOT

from corpusqa.cli import cli

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_documented(name):
    assert f"corpusqa {name}" in README


@pytest.mark.parametrize(
    "name,option",
    [
        (name, opt)
        for name, command in sorted(cli.commands.items())
        for param in command.params
        for opt in param.opts
        if opt.startswith("--")
    ],
)
def test_option_is_documented(name, option):
    assert option in README, f"corpusqa {name} {option} is not in README.md"


def test_readme_shows_the_two_commands():
    assert "make serve" in README
    assert "make test" in README
