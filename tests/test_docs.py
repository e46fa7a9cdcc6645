"""The documentation: the site builds with no broken internal link, offline, and the README's links reach it."""

import re
import subprocess
import sys
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# An inline link or image: [text](target) or ![alt](target "title").
LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
# An asset the browser would fetch from elsewhere: the site must work on an offline network.
REMOTE_ASSET = re.compile(
    r"<(?:script|img|link|iframe)\b[^>]*\b(?:src|href)=\"(?:https?:)?//"  # a tag that fetches
    r"|url\(['\"]?(?:https?:)?//"  # a stylesheet's font or image
)


def anchors(page: Path) -> set[str]:
    """Return the ids of a Markdown page's headings, as MkDocs makes them."""
    html = markdown.markdown(page.read_text(encoding="utf-8"), extensions=["toc", "tables", "fenced_code"])
    return set(re.findall(r'\bid="([^"]+)"', html))


def broken_links(page: Path) -> list[str]:
    """Return each relative link of a Markdown page that reaches no file, or no heading of it."""
    broken = []
    for match in LINK.finditer(page.read_text(encoding="utf-8")):
        target = match["target"].strip("<>")
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.relative_to(ROOT)}")
    return broken


def test_the_site_builds_strictly_with_every_internal_link_whole(tmp_path):
    # --strict turns MkDocs' warnings into a failure: a link to a missing page or heading, a page
    # left out of the nav, an absolute link (mkdocs.yml's validation settings).
    config, site = str(ROOT / "mkdocs.yml"), str(tmp_path / "site")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", config, "--site-dir", site],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    pages = [*tmp_path.glob("site/**/*.html"), *tmp_path.glob("site/**/*.css")]
    assert pages
    remote = [str(page.relative_to(tmp_path)) for page in pages if REMOTE_ASSET.search(page.read_text("utf-8"))]
    assert remote == []


def test_every_relative_link_of_the_readme_reaches_a_file_and_its_heading():
    assert LINK.search(README.read_text(encoding="utf-8"))
    assert broken_links(README) == []


def test_the_readme_stays_a_door_to_the_docs():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text
    assert "make test" in text
    assert len(text.splitlines()) <= 200
