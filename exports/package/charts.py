"""The one-page summary a curator reads at a glance: four charts on one A4 landscape page, as PNG and PDF.

Matplotlib (Agg) draws the same pixels from the same data with the same fonts (DejaVu Sans ships with it);
the PNG carries no «Software» text and the PDF no creation date, so the files depend on the data alone."""

from __future__ import annotations

import io
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from exports.package.tabular import Table  # noqa: E402

MONTHS_RU = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "svg.hashsalt": "tsur",
    "pdf.compression": 6,
    "path.simplify": False,
}
PNG_METADATA = {"Software": None}
PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}


def _month_label(day: date) -> str:
    return f"{MONTHS_RU[day.month - 1]} {day:%y}"


def _short(text: str, width: int = 38) -> str:
    text = text or "—"
    return text if len(text) <= width else text[: width - 1] + "…"


def _volume(ax, trend: dict) -> None:
    months = trend["months"]
    bottom = [0.0] * len(months)
    for name in sorted(trend["volume"]):
        values = [trend["volume"][name].get(m, 0.0) for m in months]
        ax.bar(range(len(months)), values, bottom=bottom, label=_short(name, 30), width=0.8)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_xticks(range(len(months)), [_month_label(m) for m in months], rotation=45, ha="right")
    ax.set_ylim(0, max(bottom + [1.0]) * 1.45)  # head room for the legend above the bars
    ax.set_title("Поступило обращений по отраслевым блокам, до 12 месяцев")
    ax.legend(fontsize=6, loc="upper left", ncols=2, frameon=False)


def _on_time(ax, agencies: Table) -> None:
    rows = [r for r in agencies.records() if r["on_time_share"] is not None]
    rows = sorted(rows, key=lambda r: (-(r["incoming"] or 0), r["agency_code"]))[:10][::-1]
    names = [_short(r.get("agency_short_name") or r["agency_name"]) for r in rows]
    values = [float(r["on_time_share"]) * 100 for r in rows]
    ax.barh(range(len(rows)), values, color="#4C72B0")
    ax.set_yticks(range(len(rows)), names)
    ax.set_xlim(0, 100)
    for y, v in enumerate(values):
        ax.text(min(v + 1, 92), y, f"{v:.0f}%", va="center", fontsize=7)
    ax.set_title("Доля ответов в срок по органам (10 крупнейших), %")


def _satisfaction(ax, trend: dict) -> None:
    months = trend["months"]
    for indicator, label in (("satisfaction_share", "Доля удовлетворенных"), ("on_time_share", "Доля ответов в срок")):
        values = [trend["region"][indicator].get(m) for m in months]
        ax.plot(range(len(months)), [None if v is None else v * 100 for v in values], marker="o", label=label)
    ax.set_xticks(range(len(months)), [_month_label(m) for m in months], rotation=45, ha="right")
    ax.set_ylim(0, 100)
    ax.set_title("Удовлетворенность и своевременность по округу, %")
    ax.legend(fontsize=7, frameon=False, loc="lower left")


def _problems(ax, problems: Table) -> None:
    rows = [r for r in problems.records() if not r["problem_code"] and (r["incoming"] or 0) > 0]
    rows = sorted(rows, key=lambda r: (-r["incoming"], r["category_code"]))[:10][::-1]
    ax.barh(range(len(rows)), [r["incoming"] for r in rows], color="#DD8452")
    ax.set_yticks(range(len(rows)), [_short(r["category_name"]) for r in rows])
    ax.set_title("Главные проблемы месяца: категории по числу обращений")


def summary_figure(title: str, trend: dict, agencies: Table, problems: Table):
    """The page: a title and four charts in a 2 × 2 grid."""
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(2, 2, figsize=(11.69, 8.27), dpi=100)
        figure.suptitle(title, fontsize=12)
        _volume(axes[0][0], trend)
        _on_time(axes[0][1], agencies)
        _satisfaction(axes[1][0], trend)
        _problems(axes[1][1], problems)
        figure.tight_layout(rect=(0, 0, 1, 0.96))
    return figure


def render(figure) -> tuple[bytes, bytes]:
    """PNG and PDF bytes of a figure, without anything that depends on the moment of drawing."""
    with plt.rc_context(STYLE):
        png, pdf = io.BytesIO(), io.BytesIO()
        figure.savefig(png, format="png", metadata=PNG_METADATA)
        figure.savefig(pdf, format="pdf", metadata=PDF_METADATA)
    plt.close(figure)
    return png.getvalue(), pdf.getvalue()
