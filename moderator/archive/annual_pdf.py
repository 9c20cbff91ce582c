"""The yearly report for the board and the (G)MR as a Dutch PDF, with bar charts drawn
by reportlab's own graphics (``reportlab.graphics``).

Only counts: the tables hold numbers already suppressed by the service ("< 5" for a
count under five, "x" for a count left out so a small one cannot be worked back from a
total); a chart draws a suppressed count as an empty bar labelled the same way.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from moderator import clock, text
from moderator.archive import pdfkit
from moderator.archive.pdfkit import para, spacer, trusted


@dataclass(frozen=True)
class ReportTable:
    code: str                                   # file name part, e.g. 'redenen'
    title: str                                  # Dutch
    key_header: str
    columns: tuple[str, ...]                    # school names, then 'Stichting' if shown
    rows: tuple[tuple[str, tuple[str, ...]], ...]   # (row label, shown values)
    chart: bool = False
    note: str = ""


def _number(value: str) -> float:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return 0.0


def bar_chart(table: ReportTable, width: float) -> Drawing:
    """Horizontal bars for the last column (the foundation, or the one school)."""
    labels = [text.one_line(label, 38) for label, _ in table.rows]
    shown = [values[-1] for _, values in table.rows]
    values = [_number(v) if v.replace(",", "").isdigit() else 0.0 for v in shown]
    bar = 11
    height = max(40, bar * len(labels) + 30)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 60 * mm, 15
    chart.width, chart.height = width - 60 * mm - 20 * mm, height - 25
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed([pdfkit.drawable(x) for x in labels]))
    chart.categoryAxis.labels.fontName = pdfkit.FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = pdfkit.FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visibleLabels = 0   # the bar labels carry the (suppressed) counts
    chart.valueAxis.visibleTicks = 0
    chart.valueAxis.valueMax = max([*values, 5.0]) * 1.15
    chart.bars[0].fillColor = colors.HexColor("#4A7FB0")
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = pdfkit.FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    # A suppressed count is drawn as an empty bar labelled "< 5" or "x", never a number.
    chart.barLabelArray = [list(reversed([v if not v.isdigit() else str(int(v))
                                          for v in shown]))]
    chart.barLabelFormat = "values"
    drawing.add(chart)
    drawing.add(String(0, height - 8, pdfkit.drawable(table.columns[-1]), fontName=pdfkit.FONT,
                       fontSize=7, fillColor=colors.HexColor("#555555")))
    return drawing


def _grid(table: ReportTable, width: float) -> Table:
    header = [table.key_header, *table.columns]
    data = [[pdfkit.drawable(text.one_line(h)) for h in header]]
    for label, values in table.rows:
        data.append([para(label, "small"), *values])
    first = min(70 * mm, width * 0.45)
    rest = (width - first) / max(1, len(table.columns))
    grid = Table(data, colWidths=[first, *[rest] * len(table.columns)], hAlign="LEFT",
                 repeatRows=1)
    grid.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), pdfkit.FONT_BOLD),
        ("FONTNAME", (1, 1), (-1, -1), pdfkit.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#DDDDDD")),
    ]))
    return grid


def render_annual(tables: Sequence[ReportTable], *, year: int, scope: str,
                  generated_at: str) -> bytes:
    buffer = io.BytesIO()
    doc = pdfkit.new_document(buffer, title=f"Jaarverslag ouderportaal {year}",
                              subject=f"Moderatie van het ouderportaal in {year}: {scope}",
                              keywords=["jaarverslag", str(year)])
    width = pdfkit.PAGE_SIZE[0] - 2 * pdfkit.MARGIN
    story: list[Flowable] = [
        trusted(f"Jaarverslag ouderportaal {year}", "title"),
        para(scope, "h3"),
        trusted("Wat er in het jaar op het ouderportaal is gesignaleerd en gedaan, voor het"
                " bestuur en de (G)MR. Alleen aantallen: er staan geen namen of berichten in."
                " Een aantal onder de 5 staat er als &quot;&lt; 5&quot;, zodat geen geval"
                " herkenbaar is; &quot;x&quot; is een aantal dat is weggelaten omdat anders"
                " een klein aantal uit het totaal terug te rekenen is. Tijden zijn de mediaan"
                " en het 90e percentiel (negen op de tien waren sneller) in uren.", "muted"),
        para(f"Gemaakt op {clock.display(generated_at)}.", "muted"),
        spacer(),
    ]
    for table in tables:
        story.append(para(table.title, "h2"))
        if table.note:
            story.append(para(table.note, "muted"))
        if not table.rows:
            story.append(trusted("Niets te melden in dit jaar.", "small"))
            continue
        if table.chart:
            story.append(bar_chart(table, width))
            story.append(spacer(2 * mm))
        story.append(_grid(table, width))
    return pdfkit.build(doc, story, pdfkit.footer(f"Jaarverslag ouderportaal {year}"),
                        what="het jaarverslag")
