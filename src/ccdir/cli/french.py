"""Click in French: its own messages from a gettext catalogue, French metavars, library errors as messages.

Click marks every message it prints (« Usage: », « Error: », « No such option »…) for gettext, calling
`gettext.gettext` — which reads the process-wide domain and the user's LANG, so a staff member with an
English or C locale would get English. Instead the catalogue `locale/fr/LC_MESSAGES/click.po` (read with
Babel) is handed to Click's modules as their `_` and `ngettext`: French whatever the locale, without
touching the environment that git and other programs inherit.
"""

from __future__ import annotations

import gettext
import io
from importlib.resources import files
from typing import Any

import click
import click._termui_impl
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.shell_completion
import click.termui
import click.types
import click.utils
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ccdir.core.problems import ContentError, UserError, report_lines

CATALOGUE = "locale/fr/LC_MESSAGES/click.po"
CLICK_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.shell_completion,
    click.termui,
    click.types,
    click.utils,
    click._termui_impl,
)

# What Click shows for a value of each type (« --port INTEGER ») when the option names none.
METAVARS = {
    "text": "TEXTE",
    "integer": "ENTIER",
    "float": "NOMBRE",
    "integer range": "ENTIER",
    "float range": "NOMBRE",
    "boolean": "OUI|NON",
    "datetime": "DATE",
    "uuid": "UUID",
}
PROBLEMS_PER_FILE = 20  # beyond, « … et N autres problèmes dans ce fichier »


def catalogue() -> Catalog:
    """The French catalogue of Click's messages (msgid: Click's English)."""
    with files("ccdir.cli").joinpath(CATALOGUE).open("rb") as po:
        return read_po(po, locale="fr")


def translations() -> gettext.GNUTranslations:
    """The catalogue compiled in memory, as gettext uses it."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue())
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def install() -> None:
    """Make Click speak French (its modules look `_` and `ngettext` up when they print)."""
    french = translations()
    for module in CLICK_MODULES:
        module._ = french.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = french.ngettext  # type: ignore[attr-defined]


def _quoted(text: str) -> str:
    return f"« {text} »"


class FrenchOption(click.Option):
    """An option whose value is named in French (« --port ENTIER ») and quoted « --port » in errors."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.metavar is None and not self.is_flag and self.type.name in METAVARS:
            self.metavar = METAVARS[self.type.name]

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return " / ".join(_quoted(opt) for opt in self.opts)


class FrenchArgument(click.Argument):
    """An argument quoted « FICHIER » in errors; give it a French `metavar`."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return _quoted((self.make_metavar(ctx) if ctx is not None else self.human_readable_name).strip("[].!"))


def option(*decls: str, **attrs: Any) -> Any:
    return click.option(*decls, cls=FrenchOption, **attrs)


def argument(*decls: str, **attrs: Any) -> Any:
    return click.argument(*decls, cls=FrenchArgument, **attrs)


class FrenchHelpFormatter(click.HelpFormatter):
    """Headings with the French space before the colon: « Options : »."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class FrenchContext(click.Context):
    formatter_class = FrenchHelpFormatter


class FrenchCommand(click.Command):
    context_class = FrenchContext


class ShownUserError(click.ClickException):
    """A library `UserError` as the command line shows it: each problem, then « Erreur : … », status 1."""

    def __init__(self, error: UserError):
        super().__init__(error.message)
        self.problems = error.problems if isinstance(error, ContentError) else []

    def show(self, file: Any = None) -> None:
        for line in report_lines(self.problems, PROBLEMS_PER_FILE):
            click.echo(line, err=True)
        super().show(file)


class FrenchGroup(click.Group):
    """The `ccdir` group: French usage line, and the library's errors shown without a traceback."""

    context_class = FrenchContext
    command_class = FrenchCommand

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise ShownUserError(exc) from None
