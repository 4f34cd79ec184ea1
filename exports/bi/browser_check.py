"""Open the ЦУР dashboard in headless Chromium, wait for every chart, read the figures shown, save screenshots.

Run with the Superset venv's python: browser_check.py BASE_URL SCREENSHOT_DIR (env TSUR_BI_ADMIN_PASSWORD;
TSUR_BI_CHROMIUM, default /usr/bin/chromium). Prints JSON: render time and, per chart, its kind and what it shows.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from dashboard import CHARTS, SLUG
from playwright.sync_api import sync_playwright

VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 120_000

# Per chart holder: its title, and the rendered body (big number, table, or an ECharts canvas/svg).
READ_CHARTS = """() => [...document.querySelectorAll('.dashboard-component-chart-holder')].map(holder => {
  const title = holder.querySelector('.header-title, [data-test="editable-title"], .editable-title');
  const error = holder.querySelector('.alert-danger, [data-test="error-message"], .ant-alert-error');
  const big = holder.querySelector('.header-line');
  const table = holder.querySelector('table');  // with a sticky header, head and body are two tables
  const drawn = holder.querySelector('canvas, svg.echarts, [_echarts_instance_] canvas, [_echarts_instance_] svg');
  const cells = el => [...el.querySelectorAll('th, td')].map(c => c.innerText.trim());
  return {
    title: title ? title.innerText.trim() : '',
    error: error ? error.innerText.trim().slice(0, 500) : null,
    loading: !!holder.querySelector('.loading, [aria-label="Loading"], [data-test="loading-indicator"]'),
    big_number: big ? big.innerText.trim() : null,
    columns: table ? [...table.querySelectorAll('thead th')].map(c => c.innerText.trim()) : null,
    rows: table ? [...holder.querySelectorAll('tbody tr')].map(cells).filter(r => r.some(Boolean)) : null,
    drawn: !!drawn,
  };
})"""


def number(text: str | None) -> float | None:
    """A figure as shown (12 345,6 or 87,3%) as a number; shares come back as fractions."""
    if text is None:
        return None
    clean = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".").replace("−", "-")
    try:
        return float(clean[:-1]) / 100 if clean.endswith("%") else float(clean)
    except ValueError:
        return None


def rendered(chart: dict) -> bool:
    if chart["error"] or chart["loading"]:
        return False
    return bool(chart["big_number"]) or bool(chart["rows"]) or chart["drawn"]


def main() -> None:
    base, shots = sys.argv[1].rstrip("/"), Path(sys.argv[2])
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("TSUR_BI_CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        page = browser.new_page(viewport=VIEWPORT, locale="ru-RU")
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{base}/login/")
        page.fill('input[name="username"], #username', os.environ.get("TSUR_BI_ADMIN_USER", "admin"))
        page.fill('input[name="password"], #password', os.environ["TSUR_BI_ADMIN_PASSWORD"])
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/login" not in url)
        started = time.monotonic()
        page.goto(f"{base}/superset/dashboard/{SLUG}/?standalone=0")
        charts: list[dict] = []
        deadline = started + TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            charts = page.evaluate(READ_CHARTS)
            if len(charts) >= len(CHARTS) and all(rendered(c) or c["error"] for c in charts):
                break
            page.wait_for_timeout(100)
        render_seconds = time.monotonic() - started
        page.wait_for_timeout(1500)  # ECharts animations settle before the pictures are taken
        charts = page.evaluate(READ_CHARTS)
        page.screenshot(path=str(shots / "dashboard-top.png"))
        page.mouse.wheel(0, VIEWPORT["height"] - 100)
        page.wait_for_timeout(800)
        page.screenshot(path=str(shots / "dashboard-middle.png"))
        page.mouse.wheel(0, 10_000)
        page.wait_for_timeout(800)
        page.screenshot(path=str(shots / "dashboard-bottom.png"))
        browser.close()
    for chart in charts:
        chart["rendered"] = rendered(chart)
        chart["value"] = number(chart["big_number"])
    print(
        json.dumps(
            {
                "render_seconds": round(render_seconds, 2),
                "expected_charts": len(CHARTS),
                "charts": {c["title"]: c for c in charts},
                "screenshots": sorted(str(p) for p in shots.glob("*.png")),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
