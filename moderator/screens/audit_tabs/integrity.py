"""Tab 1, Integriteit: every hard copy and export against its SHA-256, unknown files,
the audit log's hash chain and an anchor kept outside the database."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, ProgressBar, Static

from moderator import text
from moderator.errors import ModeratorError
from moderator.labels import VERIFY_FINDINGS
from moderator.plural import aantal
from moderator.screens.audit_tabs.base import AuditTab
from moderator.screens.audit_widgets import SafeTable, VerifyDone, VerifyProgress
from moderator.services import audit_log
from moderator.services import verify as verify_service


class IntegrityTab(AuditTab):
    title = "Integriteit"

    def compose(self) -> ComposeResult:
        yield Static("Controleer elke hard copy en elke export tegen de vastgelegde "
                     "SHA-256, zoek onbekende bestanden en loop de hashketen van het "
                     "auditlog na.", markup=False)
        with Horizontal(classes="actions"):
            yield Button("Controle starten", id="verify-start", variant="primary")
            yield Input(placeholder="anker VOLGNUMMER:HASH (optioneel)", id="verify-anchor")
            yield Button("Anker tonen", id="anchor-show")
        yield Static("", id="anchor-value", markup=False)
        yield ProgressBar(id="verify-progress", show_eta=False)
        yield Static("", id="verify-summary", classes="summary", markup=False)
        yield SafeTable("Soort", "Bestand of regel", "Toelichting", id="verify-problems",
                        width=80)

    @on(Button.Pressed, "#verify-start")
    def start(self) -> None:
        raw = self.value("verify-anchor")
        try:
            anchor = verify_service.parse_anchor(raw) if raw else None
        except ModeratorError:
            self.notify("Een anker is VOLGNUMMER:HASH (een getal en 64 hexadecimale tekens).",
                        severity="error", markup=False)
            return
        self.query_one("#verify-start", Button).disabled = True
        self.query_one("#verify-summary", Static).update("Bezig met controleren…")
        self.query_one("#verify-problems", SafeTable).clear()
        self.query_one("#verify-progress", ProgressBar).update(total=None, progress=0)
        self.run_verify(anchor)

    @on(Button.Pressed, "#anchor-show")
    def _show_anchor(self) -> None:
        try:
            seq, digest = audit_log.audit_anchor(self.store, self.actor)
        except ModeratorError as error:
            self.fail(error)
            return
        self.query_one("#anchor-value", Static).update(
            f"Huidig anker: {seq}:{digest} — bewaar het buiten de database en toets het later "
            "hierboven of met 'moderator verify --anchor'.")

    @work(thread=True, exclusive=True, group="verify")
    def run_verify(self, anchor: tuple[int, str] | None = None) -> None:
        try:
            report = verify_service.verify_archive(
                self.store, self.actor, anchor=anchor,
                progress=lambda done, total: self.post_message(VerifyProgress(done, total)))
        except Exception as error:  # noqa: BLE001 - reported on screen, never a crash
            self.post_message(VerifyDone(None, f"{type(error).__name__}: {error}"))
            return
        try:
            leftovers = verify_service.destroyed_leftovers(
                self.store, [p.path for p in report.unknown])
        except Exception:  # noqa: BLE001 - the plain report still stands
            leftovers = {}
        self.post_message(VerifyDone(report, leftovers=leftovers))

    def on_verify_progress(self, message: VerifyProgress) -> None:
        self.query_one("#verify-progress", ProgressBar).update(
            total=max(message.total, 1), progress=message.done)

    def on_verify_done(self, message: VerifyDone) -> None:
        self.query_one("#verify-start", Button).disabled = False
        summary = self.query_one("#verify-summary", Static)
        bar = self.query_one("#verify-progress", ProgressBar)
        if message.report is None:
            summary.update(f"De controle kon niet worden uitgevoerd: {text.one_line(message.error)}")
            return
        report = message.report
        bar.update(total=max(report.checked, 1), progress=max(report.checked, 1))
        table = self.query_one("#verify-problems", SafeTable)
        table.clear()
        kinds = (("missing", "ontbreekt"), ("altered", "gewijzigd"), ("unknown", "onbekend"))
        for field, label in kinds:
            for problem in getattr(report, field):
                destroyed = message.leftovers.get(problem.path)
                if destroyed:
                    table.add_safe_row("vernietigd, nog aanwezig", problem.path,
                                       f"hoort bij het vernietigde dossier {destroyed}")
                else:
                    table.add_safe_row(label, problem.path, problem.detail)
        for finding in report.findings:
            table.add_safe_row(VERIFY_FINDINGS.get(finding.kind, finding.kind),
                               finding.subject, finding.detail)
        for problem in report.chain:
            table.add_safe_row("auditlog", f"regel {problem.seq}", problem.problem)
        if getattr(report, "anchor_ok", None) is False:
            seq, digest = report.anchor
            table.add_safe_row("anker", f"{seq}:{digest}",
                               "niet gevonden: het auditlog is ingekort of herschreven")
        n_problems = table.row_count
        verdict = "Alles in orde." if report.ok else (
            f"{aantal(n_problems, 'probleem', 'problemen')} gevonden.")
        if getattr(report, "anchor_ok", None):
            verdict += " Het anker staat in het auditlog."
        summary.update(f"{aantal(report.checked, 'bestand', 'bestanden')} en "
                       f"{aantal(report.audit_entries, 'auditregel', 'auditregels')} "
                       f"gecontroleerd. {verdict}")
