"""The evaluation page in a real headless browser: it renders and shows the JSON report's numbers."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.core.config import Settings
from pipeline.testing import FakeBackend

from .conftest import fake_factory
from .test_eval_cli import gold_answers

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_page_renders_in_chromium_with_the_reports_numbers(settings: Settings, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed: run scripts/install.sh (apt-get install chromium)"
    fake = FakeBackend(default=gold_answers(drop_agreements=True))
    page, out = tmp_path / "page.html", tmp_path / "r.json"
    r = CliRunner().invoke(app, ["eval", "--out", str(out), "--html", str(page), "--recordings", str(tmp_path / "rec")],
                           obj={"settings": settings.with_overrides(model=fake.model),
                                "backend_factory": fake_factory(fake)})
    assert r.exit_code == 0, r.output
    report = json.loads(out.read_text())
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run([chromium, *CHROMIUM_FLAGS, *profile, "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    for key in ("event_f1", "slot_f1_lenient", "slot_f1_strict", "grounding_rate"):
        m = re.search(rf"<td id=\"{key}\">([^<]+)</td>", dom)
        assert m, f"{key} not in the rendered page"
        assert m.group(1) == f"{report['headline'][key]:.3f}"
    assert dom.count('class="article"') == 5 and "<mark>" in dom
    shot = tmp_path / "page.png"
    subprocess.run([chromium, *CHROMIUM_FLAGS, *profile, f"--screenshot={shot}", "--window-size=1200,1600",
                    page.as_uri()], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000  # a rendered page, not a blank one
