"""Document -> Article: decode the bytes, strip page junk, keep metadata, detect language.

Plain text keeps offsets traceable: the clean text is a concatenation of unchanged slices
of the decoded text (``decode_text(doc.raw)``), joined by "\\n" (lines that were adjacent)
or "\\n\\n" (paragraph breaks), and ``Article.segments`` maps every slice back. HTML goes
through trafilatura (lxml as fallback); its text has no raw offsets, so ``segments`` is empty.

Boilerplate rules are data (``data/boilerplate.json``); this module only applies them.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import string
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .data import load_data
from .errors import InputError
from .ingest import looks_like_html
from .models import Article, Document, Segment

__all__ = [
    "CleanText",
    "clean",
    "clean_html",
    "clean_plain_text",
    "decode_text",
    "detect_language",
    "load_identifier_in_background",
    "looks_like_html",
    "removed_with_rules",
]

_HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Declared charsets live near the top of a page; looking further only costs time.
_CHARSET_WINDOW = 4096
_CHARSET_RE = re.compile(
    rb"""(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]+encoding\s*=\s*["'])([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Share of control characters above which decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.01
_SPACE_RE = re.compile(r"\s+")
_ASCII_UPPER = string.ascii_uppercase.encode("ascii")
_ASCII_LOWER = string.ascii_lowercase.encode("ascii")
_CASE_SAMPLE = 2000
# The identifier is linear in text length; a few paragraphs settle the language.
_LANGUAGE_SAMPLE = 2000
_WORD_RE = re.compile(r"\w+")
_LETTERS_RE = re.compile(r"[a-z]+")
_LEADING_BULLETS = "•·*-–—>▪◦‣ \t"
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ":", ")")
# A line ending so is complete; one ending otherwise may wrap onto the next line.
_PARAGRAPH_END = (*_SENTENCE_END, "…", ";")
_SHORT_TEXT_WORDS = 20
# A text is labelled non-English only when the identifier is this sure: tables, lists
# and wire codes get low-confidence guesses (Pidgin, "no language") that are English.
_SHORT_TEXT_MIN_PROB = 0.9
_LONG_TEXT_MIN_PROB = 0.5


@dataclass(frozen=True, slots=True)
class CleanText:
    """Returns of the plain-text filter: the clean text, its segments into the input and
    the lines removed, in order."""

    text: str
    segments: tuple[Segment, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Line:
    """A unit the filter keeps or drops: one line, or a hard-wrapped paragraph whose
    lines continue each other. ``text`` is ``raw[start:end]``; ``key`` has its whitespace
    collapsed; ``alone`` means blank lines (or the text's ends) surround it."""

    start: int
    end: int
    text: str
    key: str
    words: int
    alone: bool


@dataclass(frozen=True, slots=True)
class _Rules:
    line: re.Pattern[str]
    block: re.Pattern[str]
    end: re.Pattern[str]
    nav: tuple[tuple[re.Pattern[str], int], ...]
    nav_item_words: int
    title_words: int
    ellipses: tuple[str, ...]
    trailing_words: int
    wrap_min_chars: int
    wrap_max_chars: int


def _alternation(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """Return the boilerplate rules compiled once per process."""
    data: dict[str, Any] = load_data("boilerplate.json")
    nav, teaser = data["nav"], data["teaser"]
    return _Rules(
        line=_alternation(data["line_patterns"]),
        block=_alternation(data["block_headings"]),
        end=_alternation(data["end_headings"]),
        nav=(
            (_separator_split(nav["separators_two_items"]), 2),
            (_separator_split(nav["separators_three_items"]), 3),
        ),
        nav_item_words=int(nav["max_item_words"]),
        title_words=int(teaser["max_title_words"]),
        ellipses=tuple(teaser["ellipses"]),
        trailing_words=int(data["trailing"]["max_words"]),
        wrap_min_chars=int(data["wrap"]["min_line_chars"]),
        wrap_max_chars=int(data["wrap"]["max_line_chars"]),
    )


def _separator_split(separators: Iterable[str]) -> re.Pattern[str]:
    """Return a pattern matching any of ``separators`` standing between spaces."""
    alternatives = "|".join(re.escape(s) for s in separators)
    return re.compile(rf"\s(?:{alternatives})(?=\s|$)")


# --- decoding ---------------------------------------------------------------------------


def decode_text(raw: bytes, source: str) -> str:
    """Return ``raw`` decoded to text with newlines normalised to "\\n".

    Tries a byte-order mark, then UTF-8, then the charset an HTML/XML header declares,
    then cp1252 (latin-1 for its unassigned bytes) when the bytes look like text.
    Raises InputError when the bytes are binary or cannot be decoded.
    """
    text = _decode_bytes(raw, source)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputError(source, "cannot decode as text (binary content)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_bytes(raw: bytes, source: str) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as err:
                raise InputError(source, f"cannot decode as text ({encoding}: {err})") from err
    if b"\x00" in raw:
        raise InputError(source, "cannot decode as text (binary content: NUL bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_text(raw)
    if declared is not None:
        return declared
    if _control_share_bytes(raw) > _MAX_CONTROL_SHARE:
        raise InputError(source, "cannot decode as text (binary content)")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes unassigned; latin-1 maps every byte.
        return raw.decode("latin-1")


def _declared_text(raw: bytes) -> str | None:
    """Return ``raw`` decoded with the charset its header declares, or None."""
    match = _CHARSET_RE.search(raw[:_CHARSET_WINDOW])
    if match is None:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        codecs.lookup(name)
        return raw.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None


def _control_share(text: str) -> float:
    return len(_CONTROL_RE.findall(text)) / len(text) if text else 0.0


def _control_share_bytes(raw: bytes) -> float:
    controls = sum(1 for b in raw if (b < 32 and b not in (9, 10, 12, 13)) or b == 127)
    return controls / len(raw) if raw else 0.0


# --- plain-text boilerplate filter ---------------------------------------------------------


def _mostly_upper(text: str) -> bool:
    """Return True when most letters at the start of ``text`` are capitals (wire copy,
    telex); ASCII letters suffice to tell."""
    head = text[:_CASE_SAMPLE].encode("ascii", "ignore")
    # Deleting a class of bytes and measuring what went is a count done in C.
    upper = len(head) - len(head.translate(None, _ASCII_UPPER))
    lower = len(head) - len(head.translate(None, _ASCII_LOWER))
    return upper > 0 and upper > 1.5 * lower


def _normalise(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _raw_lines(text: str) -> list[tuple[int, int, int]]:
    """Return (row, start, end) of the stripped content of every non-blank line."""
    rows: list[tuple[int, int, int]] = []
    pos = 0
    for row, piece in enumerate(text.split("\n")):
        stripped = piece.strip()
        if stripped:
            start = pos + len(piece) - len(piece.lstrip())
            rows.append((row, start, start + len(stripped)))
        pos += len(piece) + 1
    return rows


def _continues(previous: str, rules: _Rules) -> bool:
    """Return True when the line after ``previous`` is the rest of a hard-wrapped
    paragraph: ``previous`` runs long and stops mid-sentence."""
    return len(previous) >= rules.wrap_min_chars and not previous.endswith(_PARAGRAPH_END)


def _is_hard_wrapped(rows: Sequence[tuple[int, int, int]], rules: _Rules) -> bool:
    """Return True when the text is wrapped at a fixed width (wire copy, e-mail): no line
    runs past the width, and several lines come near it."""
    lengths = [end - start for _, start, end in rows]
    over = sum(n > rules.wrap_max_chars for n in lengths)
    near = sum(n >= rules.wrap_min_chars for n in lengths)
    return near >= 3 and over <= 0.05 * len(lengths)


def _split_lines(text: str, rules: _Rules, *, unwrap: bool = True) -> list[_Line]:
    """Return the units of ``text``: its non-blank lines, with the lines of hard-wrapped
    paragraphs merged when ``unwrap`` and the text is wrapped at a fixed width."""
    rows = _raw_lines(text)
    wrapped = unwrap and _is_hard_wrapped(rows, rules)
    groups: list[list[tuple[int, int, int]]] = []
    for row, start, end in rows:
        last = groups[-1][-1] if groups else None
        if (
            wrapped
            and last is not None
            and last[0] == row - 1
            and _continues(text[last[1] : last[2]], rules)
        ):
            groups[-1].append((row, start, end))
        else:
            groups.append([(row, start, end)])
    lines: list[_Line] = []
    for index, group in enumerate(groups):
        first_row, last_row = group[0][0], group[-1][0]
        before = groups[index - 1][-1][0] if index else -2
        after = groups[index + 1][0][0] if index + 1 < len(groups) else last_row + 2
        start, end = group[0][1], group[-1][2]
        key = _normalise(text[start:end])
        alone = before < first_row - 1 and after > last_row + 1
        lines.append(_Line(start, end, text[start:end], key, len(_WORD_RE.findall(key)), alone))
    return lines


def _match_key(line: _Line) -> str:
    """Return the line as the rules see it: leading bullets gone."""
    return line.key.lstrip(_LEADING_BULLETS)


def _is_nav(key: str, rules: _Rules) -> bool:
    """Return True when the line is a menu or breadcrumb: short items between separators."""
    for separator, needed in rules.nav:
        items = [i.strip() for i in separator.split(f" {key} ")]
        items = [i for i in items if i]
        if len(items) >= needed and all(
            len(i.split()) <= rules.nav_item_words and not i.endswith((".", "!", "?"))
            for i in items
        ):
            return True
    return False


def _is_prose(line: _Line, rules: _Rules) -> bool:
    """Return True for a line that reads as body text: a complete sentence."""
    if line.key.endswith(rules.ellipses):
        return False
    return line.key.endswith(_SENTENCE_END) and line.words > 3


def _is_teaser(line: _Line, seen: set[str], rules: _Rules) -> bool:
    """Return True for a line of a related-stories block: a repeated or short title, or a
    summary cut off with an ellipsis."""
    if line.key.casefold() in seen or line.key.endswith(rules.ellipses):
        return True
    return line.words <= rules.title_words and not _is_prose(line, rules)


def _is_duplicate(line: _Line, previous: _Line | None, seen: set[str]) -> bool:
    """Return True for a repeat: the same as the line just before, or a standalone line
    (a headline, a caption) seen before. Wrapped fragments may repeat by chance."""
    folded = line.key.casefold()
    if previous is not None and previous.key.casefold() == folded:
        return True
    return line.alone and folded in seen


def _verdicts(lines: Sequence[_Line], rules: _Rules) -> list[str | None]:
    """Return per line None (kept) or the name of the rule that removes it."""
    verdicts: list[str | None] = []
    seen: set[str] = set()
    in_block = False
    prose_seen = False
    for index, line in enumerate(lines):
        key = _match_key(line)
        previous = lines[index - 1] if index else None
        if prose_seen and rules.end.fullmatch(key):
            verdicts.extend(["end_heading"] * (len(lines) - index))
            break
        verdict: str | None = None
        if rules.block.fullmatch(key):
            verdict = "block_heading"
        elif in_block and _is_teaser(line, seen, rules):
            verdict = "teaser"
        elif _is_duplicate(line, previous, seen):
            verdict = "duplicate"
        elif not key or rules.line.fullmatch(key):
            verdict = "line_pattern"
        elif _is_nav(line.key, rules):
            verdict = "navigation"
        in_block = verdict in ("block_heading", "teaser")
        prose_seen = prose_seen or (verdict is None and _is_prose(line, rules))
        verdicts.append(verdict)
        seen.add(line.key.casefold())
    return _trailing_verdicts(lines, verdicts, rules)


def _trailing_verdicts(
    lines: Sequence[_Line], verdicts: list[str | None], rules: _Rules
) -> list[str | None]:
    """Return ``verdicts`` with standalone short fragments after the last kept prose line
    removed: widget labels and credits. All-caps wire copy keeps them (signatures)."""
    if _mostly_upper(" ".join(line.key for line in lines[:50])):
        return verdicts
    kept_prose = [i for i, v in enumerate(verdicts) if v is None and _is_prose(lines[i], rules)]
    if not kept_prose:
        return verdicts
    out = list(verdicts)
    for i in range(kept_prose[-1] + 1, len(lines)):
        line = lines[i]
        if out[i] is None and line.alone and line.words <= rules.trailing_words:
            out[i] = "trailing"
    return out


def _assemble(raw: str, kept: Sequence[_Line]) -> tuple[str, tuple[Segment, ...]]:
    """Return the clean text and its segments: kept lines joined by "\\n" when they were
    adjacent lines in ``raw`` and by "\\n\\n" otherwise."""
    parts: list[str] = []
    segments: list[Segment] = []
    clean_pos = 0
    previous: _Line | None = None
    for line in kept:
        gap = raw[previous.end : line.start] if previous is not None else ""
        if previous is not None and gap == "\n":
            # The newline is copied from the raw text, so one segment covers both lines.
            last = segments[-1]
            parts.append(gap + line.text)
            clean_pos += len(gap) + len(line.text)
            segments[-1] = Segment(
                last.clean_start, last.raw_start, last.length + len(gap) + len(line.text)
            )
        else:
            if previous is not None:
                parts.append("\n\n")
                clean_pos += 2
            parts.append(line.text)
            segments.append(Segment(clean_pos, line.start, len(line.text)))
            clean_pos += len(line.text)
        previous = line
    return "".join(parts), tuple(segments)


def clean_plain_text(raw: str, *, unwrap: bool = True) -> CleanText:
    """Return ``raw`` without boilerplate lines, with segments mapping back into ``raw``.
    ``unwrap=False`` judges every line alone even in fixed-width text (one paragraph a
    line, as extracted from HTML)."""
    rules = _rules()
    lines = _split_lines(raw, rules, unwrap=unwrap)
    verdicts = _verdicts(lines, rules)
    kept = [line for line, verdict in zip(lines, verdicts, strict=True) if verdict is None]
    removed = tuple(line.text for line, v in zip(lines, verdicts, strict=True) if v is not None)
    text, segments = _assemble(raw, kept)
    return CleanText(text, segments, removed)


def removed_with_rules(raw: str) -> list[tuple[str, str]]:
    """Return (line, rule name) for every line the plain-text filter removes from ``raw``,
    for explanations and debugging."""
    rules = _rules()
    lines = _split_lines(raw, rules)
    verdicts = _verdicts(lines, rules)
    return [(line.text, v) for line, v in zip(lines, verdicts, strict=True) if v is not None]


# --- HTML ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Page:
    text: str
    removed: tuple[str, ...]
    title: str | None = None
    published: dt.date | None = None
    site: str | None = None
    author: str | None = None
    segments: tuple[Segment, ...] = ()


def _str_or_none(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return _normalise(value)
    return None


def _date_or_none(value: Any) -> dt.date | None:
    """Return the ISO date at the start of ``value``, or None."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _trafilatura_page(html: str, url: str | None) -> Any:
    """Return trafilatura's extraction of ``html`` (an object with text and metadata), or
    None when it finds no main text or cannot parse the page."""
    import trafilatura
    from lxml import etree

    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except (ValueError, TypeError, etree.LxmlError):
        return None


def _lxml_text(html: str) -> str:
    """Return the visible text of ``html`` outside scripts, menus, headers and footers,
    one block element a line; "" when lxml cannot parse it."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except (ValueError, etree.LxmlError):
        return ""
    junk = "//script|//style|//noscript|//nav|//header|//footer|//aside|//form|//template"
    for node in root.xpath(junk):
        node.drop_tree()
    blocks = root.xpath("//p|//h1|//h2|//h3|//h4|//li|//blockquote|//pre|//td")
    texts = [_normalise(b.text_content()) for b in blocks]
    if not any(texts):
        texts = [_normalise(t) for t in root.text_content().split("\n")]
    return "\n".join(t for t in texts if t)


def _paragraph_text(text: str, title: str | None) -> tuple[str, tuple[str, ...]]:
    """Return the filtered paragraphs of extracted page text joined by blank lines, and the
    removed lines; a line repeating the page title is dropped as well."""
    result = clean_plain_text(text, unwrap=False)
    removed = list(result.removed)
    paragraphs: list[str] = []
    title_key = _normalise(title).casefold() if title else None
    for line in result.text.split("\n"):
        if not line.strip():
            continue
        if title_key is not None and _normalise(line).casefold() == title_key:
            removed.append(line)
            continue
        paragraphs.append(line.strip())
    return "\n\n".join(paragraphs), tuple(removed)


def clean_html(html: str, url: str | None = None) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """Return the main text of a page, the lines removed from it, and its metadata
    (``title``, ``published`` as a date, ``site``, ``author``; missing ones None)."""
    page = _html_page(html, url)
    meta = {
        "title": page.title,
        "published": page.published,
        "site": page.site,
        "author": page.author,
    }
    return page.text, page.removed, meta


def _html_page(html: str, url: str | None) -> _Page:
    extracted = _trafilatura_page(html, url)
    main_text = getattr(extracted, "text", None)
    title = _str_or_none(getattr(extracted, "title", None))
    if not isinstance(main_text, str) or not main_text.strip():
        main_text = _lxml_text(html)
    text, removed = _paragraph_text(main_text, title)
    return _Page(
        text=text,
        removed=removed,
        title=title,
        published=_date_or_none(getattr(extracted, "date", None)),
        site=_str_or_none(getattr(extracted, "sitename", None)),
        author=_str_or_none(getattr(extracted, "author", None)),
    )


# --- language ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _english_like() -> frozenset[str]:
    """Return the identifier labels that, on news copy, mean English."""
    data: dict[str, Any] = load_data("boilerplate.json")
    return frozenset(data["language"]["english_like_labels"])


@dataclass(frozen=True, slots=True)
class _EnglishCheck:
    function_words: frozenset[str]
    min_words: int
    min_share: float


@lru_cache(maxsize=1)
def _english_check() -> _EnglishCheck:
    """Return the function-word test that recognises plain English without the identifier."""
    data: dict[str, Any] = load_data("language.json")
    return _EnglishCheck(
        function_words=frozenset(data["function_words"]),
        min_words=int(data["min_words"]),
        min_share=float(data["min_share"]),
    )


def _is_plainly_english(lowered: str) -> bool:
    """Return True when enough of the words of ``lowered`` are English function words that
    no other language could be meant (most news copy: far cheaper than the identifier)."""
    check = _english_check()
    words = _LETTERS_RE.findall(lowered)
    if len(words) < check.min_words:
        return False
    common = sum(w in check.function_words for w in words)
    return common >= check.min_share * len(words)


_identifiers: list[Any] = []
_identifier_lock = threading.Lock()


def _identifier() -> Any:
    """Return the language identifier, loaded once per process (by whichever thread asks
    first; the others wait for it)."""
    with _identifier_lock:
        if not _identifiers:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifiers.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
        return _identifiers[0]


def load_identifier_in_background() -> threading.Thread | None:
    """Return a started daemon thread loading the language identifier, None when it is
    loaded already. Most of its load is the decompression of its model, which runs beside
    other Python work on another core; join the thread before forking."""
    if _identifiers:
        return None
    loader = threading.Thread(target=_identifier, name="incidex-language-model", daemon=True)
    loader.start()
    return loader


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the language of ``text``; "en" when the identifier is
    unsure (a stricter bar for texts under ~20 words)."""
    sample = text[:_LANGUAGE_SAMPLE]
    if not any(c.isalpha() for c in sample):
        return "en"
    # All-caps wire copy reads as noise to the identifier; its language is in the letters.
    if _mostly_upper(sample):
        sample = sample.lower()
    if _is_plainly_english(sample.lower()):
        return "en"
    language, probability = _identifier().classify(sample)
    short = len(_WORD_RE.findall(sample)) < _SHORT_TEXT_WORDS
    if probability < (_SHORT_TEXT_MIN_PROB if short else _LONG_TEXT_MIN_PROB):
        return "en"
    if language in _english_like():
        return "en"
    return str(language)


# --- entry point ---------------------------------------------------------------------------


def _headline(text: str) -> str | None:
    """Return the first line of ``text`` when it reads as a headline, else None."""
    first = text.split("\n", 1)[0].strip()
    rules = _rules()
    words = len(_WORD_RE.findall(first))
    if 0 < words <= rules.title_words and not first.endswith((".", "…")):
        return first
    return None


def clean(doc: Document) -> Article:
    """Return the clean Article of ``doc``: main text without page junk, metadata (the
    input record's wins over the page's), language, and for plain text the segments
    into ``decode_text(doc.raw)``. Raises InputError when no usable text remains."""
    raw = decode_text(doc.raw, doc.source)
    media_type = doc.media_type.split(";")[0].strip().lower()
    if media_type in _HTML_MEDIA_TYPES or looks_like_html(raw):
        page = _html_page(raw, doc.url)
    else:
        page = _plain_page(raw)
    if not any(ch.isalpha() for ch in page.text):
        raise InputError(doc.source, _no_text_reason(media_type))
    return Article(
        id=doc.id,
        text=page.text,
        language=detect_language(page.text),
        title=doc.title or page.title,
        published=doc.published or page.published,
        site=doc.site or page.site,
        author=page.author,
        url=doc.url,
        segments=page.segments,
        removed=page.removed,
    )


def _no_text_reason(media_type: str) -> str:
    if media_type in _HTML_MEDIA_TYPES:
        return "no text found in the HTML page (malformed, or only markup and navigation)"
    return "no text left after removing page junk"


def _plain_page(raw: str) -> _Page:
    result = clean_plain_text(raw)
    return _Page(
        text=result.text,
        removed=result.removed,
        title=_headline(result.text),
        segments=result.segments,
    )
