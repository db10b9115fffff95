"""Read YAML content safely, keeping the source position of every value.

PyYAML's composer gives us nodes with marks; we construct plain Python values from them ourselves so
that we can (a) refuse duplicate keys, anchors/aliases and custom tags, (b) remember where each value
came from, to point pydantic's errors at `file:line:col`.

`parse(..., lenient=True)` (merchant files under `ccdir validate` and the build) does not stop at the first
problem: a refused value (duplicate key, alias, tag, impossible date) is left out and reported, and a syntax
error is reported, then its line (with the lines indented under it) is set aside and the rest is read, so that
the schema's errors of the same file are found in the same run.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ccdir.core.problems import Problem

try:  # libyaml is much faster on tens of thousands of files
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 64 * 1024
MAX_NODES = 5_000
MAX_DEPTH = 20
SYNTAX_RETRIES = 3  # lines set aside after syntax errors before giving up on the rest of a file

Loc = tuple[Any, ...]


@dataclass
class Document:
    """A YAML document read from `path`, with `positions[loc] = (line, col)`, both 1-based.

    `loc` is the tuple of keys/indexes leading to a value, as in pydantic's error `loc`.
    `key_positions[loc]` is where the key itself stands (for "unknown field" errors).
    """

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    # Lenient reading only: what was refused while reading, where values were left out, and whether
    # lines were set aside after a syntax error (a field « missing » may then be on one of them).
    problems: list[Problem] = field(default_factory=list)
    left_out: set[Loc] = field(default_factory=set)
    lines_set_aside: bool = False

    def hides(self, loc: Loc, missing: bool) -> bool:
        """True when a schema error at `loc` is a consequence of what was left out while reading."""
        loc = tuple(loc)
        if missing and self.lines_set_aside:
            return True
        return any(loc[: len(out)] == out for out in self.left_out)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Best position for `loc`: the exact one, else the closest enclosing value's."""
        loc = tuple(loc)
        table = self.key_positions if key else self.positions
        if loc in table:
            return table[loc]
        if key and loc in self.positions:
            return self.positions[loc]
        while loc:
            loc = loc[:-1]
            if loc in self.key_positions:
                return self.key_positions[loc]
            if loc in self.positions:
                return self.positions[loc]
        return self.positions.get((), (1, 1))


class ReadError(Exception):
    """The file cannot be read as YAML; `line`/`col` are 1-based (0 when unknown), message in French.

    `span`: for a syntax error, the lines (first, last) a lenient read sets aside to read the rest.
    """

    def __init__(self, message: str, line: int = 0, col: int = 0, span: tuple[int, int] | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.span = span


_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str", "timestamp")}


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_LEFT_OUT = object()  # a value refused by a lenient read


class _Builder:
    def __init__(self, loader: Any, refused: list[tuple[int, int, str]] | None = None):
        self.loader = loader
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.key_positions: dict[Loc, tuple[int, int]] = {}
        self.seen: set[int] = set()
        self.count = 0
        self.refused = refused  # None: raise at the first problem
        self.left_out: set[Loc] = set()

    def refuse(self, message: str, line: int, col: int, loc: Loc, hide: bool = True) -> Any:
        """Raise, or (lenient) note the problem and leave the value out; `hide`: its schema errors too."""
        if self.refused is None:
            raise ReadError(message, line, col)
        self.refused.append((line, col, message))
        if hide:
            self.left_out.add(loc)
        return _LEFT_OUT

    def build(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        line, col = _mark(node)
        if id(node) in self.seen:
            # An alias (*ref) points back to a node we already built: refusing them prevents
            # "billion laughs" expansion and keeps every value at one place in the file.
            # Fatal even to a lenient read: what the alias stood for is unknown.
            raise ReadError(
                "les ancres et alias YAML (& et *) ne sont pas acceptés : recopiez la valeur en entier", line, col
            )
        self.seen.add(id(node))
        self.count += 1
        if self.count > MAX_NODES:
            raise ReadError(
                f"fichier trop grand : plus de {MAX_NODES} valeurs ; une fiche en compte bien moins", line, col
            )
        if depth > MAX_DEPTH:
            raise ReadError("imbrication trop profonde : vérifiez l'indentation", line, col)
        self.positions[loc] = (line, col)
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                return self.refuse(f"étiquette YAML « {node.tag} » non acceptée : retirez-la", line, col, loc)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                kl, kc = _mark(key_node)
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    self.refuse("clé invalide : une clé doit être un simple mot, comme « name »", kl, kc, loc)
                    continue
                key = self.scalar(key_node, loc)
                if key is _LEFT_OUT:
                    continue
                if not isinstance(key, str):
                    key = key_node.value  # as written: « yes », « ~ », « 1 » (not « True », « None »)
                if key in result or loc + (key,) in self.key_positions:
                    first = self.key_positions[loc + (key,)][0]
                    self.refuse(
                        f"le champ « {key} » apparaît deux fois (déjà à la ligne {first}) : gardez-en un seul",
                        kl,
                        kc,
                        loc + (key,),
                        hide=False,
                    )  # the first one is kept
                    continue
                self.key_positions[loc + (key,)] = (kl, kc)
                value = self.build(value_node, loc + (key,), depth + 1)
                if value is not _LEFT_OUT:
                    result[key] = value
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                return self.refuse(f"étiquette YAML « {node.tag} » non acceptée : retirez-la", line, col, loc)
            items = (self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value))
            return [None if item is _LEFT_OUT else item for item in items]  # the others keep their index
        return self.scalar(node, loc)

    def scalar(self, node: yaml.ScalarNode, loc: Loc = ()) -> Any:
        tag = node.tag
        if tag == "tag:yaml.org,2002:str":
            return node.value  # the common case, without the constructor's dispatch
        if tag == "tag:yaml.org,2002:int" and not node.style:
            raw = node.value.replace("_", "")
            # "01000" (a postcode of the Ain) would be read as octal 512: keep such text as written.
            if raw.startswith("0") and len(raw) > 1 and raw.isdigit():
                return node.value
        if tag not in _SCALAR_TAGS:
            line, col = _mark(node)
            return self.refuse(f"étiquette YAML « {tag} » non acceptée : retirez-la", line, col, loc)
        try:
            value = self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            line, col = _mark(node)
            if tag == "tag:yaml.org,2002:timestamp":
                return self.refuse(
                    f"date impossible « {node.value[:40]} » : écrivez une date qui existe, au "
                    "format AAAA-MM-JJ (par exemple 2020-11-05)",
                    line,
                    col,
                    loc,
                )
            return self.refuse(f"valeur illisible « {node.value[:40]} » : mettez-la entre guillemets", line, col, loc)
        if isinstance(value, dt.datetime):
            return value  # validated later: only dates are accepted where a date is expected
        return value


# Characters YAML refuses (C0/C1 controls, DEL, surrogates, U+FFFE/U+FFFF), plus the ones it reads as line
# breaks although editors do not (NEL, U+2028, U+2029): found before parsing, to report them at their place
# in French (PyYAML's own error has no line and is in English).
_UNACCEPTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _bad_characters(text: str) -> Iterator[tuple[int, int, int, str]]:
    """(offset, line, col, French message) of each character YAML refuses."""
    for found in _UNACCEPTABLE.finditer(text):
        ch = found.group()
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        code = f"U+{ord(ch):04X}"
        if ch in "\x85\u2028\u2029":
            message = (
                f"séparateur de ligne spécial ({code}) : remplacez-le par un retour à la ligne ordinaire ou "
                "une espace (il vient souvent d'un copier-coller)"
            )
        elif ord(ch) < 0xA0:
            message = f"caractère de contrôle ({code}) interdit : retirez-le (il vient souvent d'un copier-coller)"
        else:
            message = f"caractère non valide ({code}) : retirez-le (il vient souvent d'un copier-coller)"
        yield found.start(), line, col, message


def parse(text: str, path: str = "<texte>", *, lenient: bool = False) -> Document:
    """Parse one YAML document from `text`; raises ReadError with a French message and position.

    `lenient`: never raises; every problem found is in `Document.problems` (data None when nothing could
    be read), and what was set aside is remembered so that its consequences are not reported twice.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if not lenient:
        for _, line, col, message in _bad_characters(text):
            raise ReadError(message, line, col)
        return _parse(text, path, None)
    problems: list[Problem] = []
    set_aside = False
    for _, line, col, message in _bad_characters(text):
        if not problems or problems[-1].line != line:  # one per line: the line is set aside
            problems.append(Problem(path, line, col, message))
            text = _set_aside(text, (line, line))
            set_aside = True
    syntax_error = False
    for _ in range(SYNTAX_RETRIES + 1):
        refused: list[tuple[int, int, str]] = []
        try:
            doc = _parse(text, path, refused)
        except ReadError as exc:
            # Only the first syntax error is sure: the next ones may come from the lines set aside.
            if not syntax_error:
                problems.append(Problem(path, exc.line, exc.col, exc.message))
            if exc.span is None:
                break
            syntax_error = set_aside = True
            text = _set_aside(text, exc.span)
            continue
        doc.problems = problems + [Problem(path, line, col, message) for line, col, message in refused]
        doc.lines_set_aside = set_aside
        return doc
    return Document(path, None, {(): (1, 1)}, problems=problems, lines_set_aside=True)


def _set_aside(text: str, span: tuple[int, int]) -> str:
    """`text` with lines `span` (1-based, inclusive) emptied, and the lines indented under them."""
    lines = text.split("\n")
    first, last = span
    indent = len(lines[first - 1]) - len(lines[first - 1].lstrip(" ")) if first <= len(lines) else 0
    while last < len(lines) and (not lines[last].strip() or len(lines[last]) - len(lines[last].lstrip(" ")) > indent):
        last += 1
    for i in range(first - 1, min(last, len(lines))):
        lines[i] = ""
    return "\n".join(lines)


def _parse(text: str, path: str, refused: list[tuple[int, int, str]] | None) -> Document:
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            # A scanner error (an unclosed quote, a key without « : ») starts where its context does.
            start = (
                exc.context_mark.line + 1 if isinstance(exc, yaml.scanner.ScannerError) and exc.context_mark else line
            )
            span = (max(1, min(start, line)), max(1, line))
            if (exc.problem or "").startswith("but found another document"):
                span = (span[0], text.count("\n") + 1)  # the second document is not read at all
            lines = text.splitlines()
            if 0 < line <= len(lines) and "\t" in lines[line - 1][: max(col, 1)]:
                raise ReadError(
                    "syntaxe YAML : tabulation trouvée : indentez avec des espaces, pas des tabulations",
                    line,
                    lines[line - 1].index("\t") + 1,
                    span,
                ) from None
            raise ReadError(_yaml_syntax_message(exc), line, col, span) from None
        except yaml.YAMLError as exc:
            raise ReadError(f"YAML illisible : {exc}") from None
        if root is None:
            return Document(path, None, {(): (1, 1)})
        builder = _Builder(loader, refused)
        data = builder.build(root, ())
        return Document(path, data, builder.positions, builder.key_positions, left_out=builder.left_out)
    finally:
        loader.dispose()


def _yaml_syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    hints = {
        "found character '\\t' that cannot start any token": "tabulation trouvée : YAML n'accepte que des espaces pour l'indentation",
        "mapping values are not allowed": "deux-points inattendu : mettez la valeur entre guillemets si elle contient « : », "
        "ou vérifiez l'indentation",
        "could not find expected ':'": "deux-points manquant après le nom du champ (écrivez « champ: valeur »)",
        "found undefined alias": "alias YAML inconnu : les ancres et alias (& et *) ne sont pas acceptés",
        "did not find expected key": "structure incorrecte : vérifiez l'indentation et qu'aucun guillemet n'est resté ouvert plus haut",
        "found unknown escape character": "caractère d'échappement inconnu entre guillemets doubles",
        "expected <block end>, but found '-'": "élément de liste mal indenté",
        "found unexpected end of stream": "fin de fichier inattendue : un guillemet ou un crochet n'est pas fermé",
        "but found another document": "un seul document par fichier : retirez la ligne « --- » en trop",
        "did not find expected ',' or ']'": "liste entre crochets mal fermée : une virgule ou un « ] » manque",
        "did not find expected ',' or '}'": "bloc entre accolades mal fermé : une virgule ou un « } » manque",
        "exceeded maximum nesting depth": "imbrication trop profonde : vérifiez les crochets et l'indentation",
        "found invalid Unicode character escape code": "code de caractère invalide après « \\u » entre guillemets doubles : retapez le caractère lui-même",
        "could not find expected directive name": "ligne commençant par « % » : mettez la valeur entre guillemets ou retirez la ligne",
        "did not find expected <document start>": "texte après la fin du document (« ... ») : retirez les lignes en trop",
    }
    for key, text in hints.items():
        if problem.startswith(key):
            return f"syntaxe YAML : {text}"
    if "found character" in problem and "cannot start any token" in problem:
        return "syntaxe YAML : caractère inattendu en début de valeur (@, ` ou %) : mettez la valeur entre guillemets"
    # Not seen in practice: keep PyYAML's words as a technical detail after the French.
    return (
        "syntaxe YAML incorrecte : vérifiez l'indentation, les deux-points et les guillemets "
        f"(détail technique : {problem or exc})"
    )


def read_file(path: Path, display: str | None = None, *, lenient: bool = False) -> Document:
    """Read and parse a YAML file; raises ReadError for unreadable, oversized or non-UTF-8 files.

    `lenient`: a file that can be read but not parsed gives its problems in the Document (see `parse`).
    """
    shown = display or str(path)
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            # A link could make the build read (and echo in its messages) a file outside the content.
            raise ReadError("lien symbolique refusé : remplacez-le par le fichier lui-même")
        if not stat.S_ISREG(info.st_mode):
            raise ReadError("ce n'est pas un fichier ordinaire : une fiche est un fichier texte YAML")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(
                f"fichier trop gros ({size // 1024} Kio, au plus {MAX_FILE_BYTES // 1024} Kio) : "
                "raccourcissez la description ou la liste de produits"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"lecture impossible ({exc.strerror})") from None
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError(
            "fichier enregistré en UTF-16 ou UTF-32 (« Unicode » dans le Bloc-notes) : enregistrez-le en UTF-8", 1, 1
        )
    if b"\x00" in raw:
        raise ReadError("fichier binaire : une fiche doit être un fichier texte YAML en UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
        raise ReadError(
            "encodage invalide : enregistrez le fichier en UTF-8 (votre éditeur l'a peut-être "
            "enregistré en Windows-1252/Latin-1)",
            line,
            col,
        ) from None
    return parse(text, shown, lenient=lenient)
