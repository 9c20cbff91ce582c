"""The preview pane: one queue item in full, built only from ``rich.text.Text``.

Portal text is cleaned by :mod:`moderator.text` segment by segment, so that evidence
offsets (into the original text) still land on the right characters after control and
bidi characters have been replaced by visible placeholders.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from moderator import clock, labels, rich_text, text
from moderator.plural import aantal
from moderator.policy.catalogue import REASONS
from moderator.store.incidents import IncidentSummary
from moderator.store.items import ItemDetail

_CONSOLE = Console(width=200, color_system=None)   # only for Text.wrap
EVIDENCE_STYLE = "reverse bold"
HEADING_STYLE = "bold underline"

SOURCE_LABELS = {"report": "Melding", "rule": "Signaal"}
KIND_LABELS = {"post": "Bericht", "comment": "Reactie"}


def when(value: str | None) -> str:
    """An ISO timestamp as Dutch date and time: '20-11-2026 09:00'."""
    return text.one_line(clock.display(value), 30)


def reason_label(code: str) -> str:
    return REASONS[code].label if code in REASONS else code


def highlighted(raw: str | None, spans: Sequence[tuple[int, int]],
                style: str = EVIDENCE_STYLE) -> Text:
    """``raw`` cleaned for display with the character ranges ``spans`` (offsets into
    ``raw``) styled. Each segment between span edges is cleaned on its own, so the
    styled ranges follow the text even when cleaning changes its length."""
    raw = raw or ""
    valid = [(max(0, s), min(len(raw), e)) for s, e in spans if 0 <= s < e and s < len(raw)]
    edges = sorted({0, len(raw), *(p for span in valid for p in span)})
    out = Text()
    for start, end in zip(edges, edges[1:], strict=False):
        inside = any(s <= start and end <= e for s, e in valid)
        out.append(text.clean(raw[start:end]), style=style if inside else "")
    return out


def _find_spans(raw: str | None, evidence: list[dict]) -> list[tuple[int, int]]:
    """Evidence spans that fall in ``raw``: by offsets when they match the quoted text,
    else by looking the quoted text up."""
    if not raw:
        return []
    spans = []
    for ev in evidence:
        if not isinstance(ev, dict):
            continue
        start, end, quoted = ev.get("start"), ev.get("end"), ev.get("text")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(raw):
            if not quoted or raw[start:end] == quoted:
                spans.append((start, end))
                continue
        if isinstance(quoted, str) and quoted:
            at = raw.find(quoted)
            if at >= 0:
                spans.append((at, at + len(quoted)))
    return spans


def hanging(label: str, value: Text, *, indent: int, width: int, label_style: str = "",
            margin: int = 0) -> Text:
    """'label value' where the value's wrapped lines start under the value, not at
    column 0: the value is wrapped to ``width - indent`` and each line indented (by
    ``margin`` more when the label itself is preceded by that many spaces)."""
    out = Text()
    out.append(label, style=label_style)
    out.append(" " * max(1, indent - len(label)))
    body_width = max(20, width - indent)
    lines = []
    for paragraph in value.split("\n"):
        wrapped = paragraph.wrap(_CONSOLE, body_width)
        lines.extend(wrapped if len(wrapped) else [Text()])
    out.append_text(Text("\n" + " " * (margin + indent)).join(lines))
    return out


def _heading(out: Text, label: str) -> None:
    out.append("\n\n")
    out.append(label, style=HEADING_STYLE)
    out.append("\n")


def render_detail(detail: ItemDetail, incidents: Sequence[IncidentSummary] = (),
                  width: int = 96, portal: Sequence[str] = ()) -> Text:
    """Everything the moderator needs to decide, as one ``Text`` (``width``: the pane's
    content width, for the hanging indent of notes)."""
    evidence = [ev for f in detail.flags if f.status == "open" for ev in f.evidence]
    out = Text()
    out.append(KIND_LABELS.get(detail.kind, detail.kind), style="bold")
    out.append(" in ")
    out.append_text(rich_text.line_text(detail.group_name, style="bold"))
    out.append(" door ")
    out.append_text(rich_text.line_text(detail.author_name, style="bold"))
    out.append(" (")
    out.append_text(rich_text.line_text(labels.role(detail.author_role)))
    out.append(")")
    out.append(f"\n{when(detail.created_at)}")
    if detail.kind == "post":
        out.append("   reacties: " + ("aan" if detail.comments_enabled else "uit"))
    if detail.deleted_at:
        out.append(f"\nVerwijderd op {when(detail.deleted_at)}", style="bold")
    for line in portal:            # the item's portal actions and what became of them
        out.append("\nPortaal: ", style="bold")
        out.append_text(rich_text.line_text(line))
    out.append("\n\n")
    if detail.title:
        title = highlighted(detail.title, _find_spans(detail.title, evidence))
        title.stylize("bold")
        out.append_text(title)
        out.append("\n")
    out.append_text(highlighted(detail.body, _find_spans(detail.body, evidence)))

    _heading(out, f"Meldingen en signalen ({len(detail.flags)})")
    for flag in detail.flags:
        out.append(f"• {SOURCE_LABELS.get(flag.source, flag.source)}: ", style="bold")
        out.append(reason_label(flag.reason))
        out.append(f" — {labels.flag_status(flag.status)}, {when(flag.created_at)}")
        if flag.source == "report":
            out.append("\n  melder: ")
            out.append_text(rich_text.line_text(flag.reporter_name or flag.reporter_id or "onbekend"))
        if flag.note:
            out.append("\n  ")
            out.append_text(hanging("toelichting:", rich_text.text(flag.note), indent=13,
                                    width=width - 2, label_style="italic", margin=2))
        for ev in flag.evidence:
            if isinstance(ev, dict) and ev.get("text"):
                out.append("\n  bewijs: ")
                out.append_text(rich_text.line_text(ev.get("text"), 80, style=EVIDENCE_STYLE))
        out.append("\n")

    if detail.post is not None:
        _heading(out, "Bij het bericht")
        post = detail.post
        out.append_text(rich_text.line_text(post.author_name, style="bold"))
        out.append(f", {when(post.created_at)}\n")
        if post.title:
            out.append_text(rich_text.text(post.title, style="bold"))
            out.append("\n")
        out.append_text(rich_text.text(post.body if post.body is not None else "(verwijderd)"))
    if detail.comments:
        _heading(out, f"Reacties ({len(detail.comments)})")
        for comment in detail.comments:
            out.append("• ")
            out.append_text(rich_text.line_text(comment.author_name, style="bold"))
            out.append(f", {when(comment.created_at)}: ")
            if comment.deleted_at:
                out.append("(verwijderd)", style="italic")
            else:
                out.append_text(rich_text.text(comment.body))
            out.append("\n")

    if len(detail.revisions) > 1:
        _heading(out, f"Versies ({len(detail.revisions)})")
        for rev in detail.revisions:
            out.append(f"versie {rev.rev}, {when(rev.recorded_at)}\n", style="bold")
            if rev.title:
                out.append_text(rich_text.text(rev.title, style="bold"))
                out.append("\n")
            out.append_text(rich_text.text(rev.body if rev.body is not None else "(verwijderd)"))
            out.append("\n")

    if detail.media:
        _heading(out, f"Media ({len(detail.media)})")
        for media in detail.media:
            out.append("• ")
            out.append_text(rich_text.line_text(media.file, style="bold"))
            out.append(f" ({'foto' if media.kind == 'photo' else 'video'})")
            if media.tags:
                out.append(" labels: ")
                out.append_text(rich_text.line_text(", ".join(labels.media_tag(t)
                                                         for t in media.tags)))
            out.append("\n")
            for pupil in media.pupils:
                out.append("    ")
                out.append_text(rich_text.line_text(pupil.name))
                if pupil.photo_consent is True:
                    out.append(": toestemming voor foto's")
                elif pupil.photo_consent is False:
                    out.append(": GEEN toestemming voor foto's", style="bold red")
                else:
                    out.append(": geen toestemming geregistreerd", style="bold")
                out.append("\n")

    _heading(out, "Eerdere incidenten van de auteur")
    if not incidents:
        out.append("geen")
    for incident in incidents:
        out.append(f"• {incident.number} ", style="bold")
        out.append(labels.status(incident.status))
        out.append(f", geopend {when(incident.opened_at)[:10]}")
        if incident.group_name:
            out.append(", ")
            out.append_text(rich_text.line_text(incident.group_name))
        copies = aantal(incident.n_hardcopies, "hardcopy", "hardcopy's")
        out.append(f", {copies}\n")
    return out


class PreviewPane(VerticalScroll):
    """Scrollable preview of the highlighted queue item."""

    DEFAULT_CSS = """
    PreviewPane { height: 1fr; border-top: solid $primary; padding: 0 1; scrollbar-gutter: stable; }
    PreviewPane > Static { width: 1fr; }
    """

    def compose(self):
        yield Static(Text("Geen melding gekozen.", style="italic"), id="preview-body")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[ItemDetail, Sequence[IncidentSummary]] | None = None
        self._portal: Sequence[str] = ()
        self._width = 0
        self._header: Text | None = None

    def _content_width(self) -> int:
        return max(30, self.scrollable_content_region.width - 1) \
            if self.scrollable_content_region.width else 96

    def show(self, detail: ItemDetail | None, incidents: Sequence[IncidentSummary] = (),
             *, empty: str = "Geen melding gekozen.", header: Text | None = None,
             portal: Sequence[str] = ()) -> None:
        """``header``: a line the screen puts above the item (deadline, who holds it);
        ``portal``: what became of the item's portal actions."""
        body = self.query_one("#preview-body", Static)
        self._header = header
        if detail is None:
            self._shown = None
            body.update(Text(empty, style="italic"))
        else:
            self._shown = (detail, incidents)
            self._portal = tuple(portal)
            self._width = self._content_width()
            body.update(self._with_header(render_detail(detail, incidents, self._width,
                                                        self._portal)))
        self.scroll_home(animate=False)

    def _with_header(self, rendered: Text) -> Text:
        if self._header is None:
            return rendered
        return Text("").join([self._header, Text("\n"), rendered])

    def on_resize(self) -> None:
        if self._shown is not None and self._content_width() != self._width:
            self._width = self._content_width()
            self.query_one("#preview-body", Static).update(
                self._with_header(render_detail(*self._shown, self._width, self._portal)))
