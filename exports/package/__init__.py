"""The federal reporting package of a period: XLSX, CSV, a one-page summary (PNG, HTML, PDF), manifest.

Entry point: exports.package.build.export_package; see docs/federal_package.md."""
