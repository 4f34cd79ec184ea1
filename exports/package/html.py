"""The summary page as one self-contained HTML file: the chart inlined, the headline figures as a table."""

from __future__ import annotations

import base64
from html import escape

from exports.package.tabular import Table

STYLE = (
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222}"
    "table{border-collapse:collapse;margin-top:12px}td,th{border:1px solid #ccc;padding:3px 8px}"
    "td.n{text-align:right}img{max-width:100%}"
)


def number(value, unit: str | None) -> str:
    if value is None:
        return "—"
    if (unit or "").startswith("доля"):
        return f"{float(value) * 100:.1f}%"
    return f"{value}"


def summary_html(title: str, subtitle: str, png: bytes, summary: Table) -> bytes:
    """One page: the title, the clocks of the figures, the chart, then every indicator of the okrug."""
    rows = "".join(
        f"<tr><td>{escape(r['indicator_name'] or r['indicator'])}</td>"
        f'<td class="n">{escape(number(r["value"], r["unit"]))}</td>'
        f"<td>{escape(r['unit'] or '')}</td></tr>"
        for r in summary.records()
    )
    image = base64.b64encode(png).decode("ascii")
    page = (
        f'<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>\n<h1>{escape(title)}</h1>\n<p>{escape(subtitle)}</p>\n"
        f'<img alt="Сводка в графиках" src="data:image/png;base64,{image}">\n'
        f"<h2>Показатели округа</h2>\n<table><tr><th>Показатель</th><th>Значение</th><th>Единица</th></tr>"
        f"{rows}</table>\n</body></html>\n"
    )
    return page.encode("utf-8")
