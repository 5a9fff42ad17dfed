"""A shared diagram (`stroma trace … --format html`) opened from disk in headless Chromium
(WebDriver through Debian's chromedriver, driven by Selenium) with no network: click an edge and
read its evidence in the side panel, click the hop where the path's context changes, click a
node, search the diagram. Each step asserts on what the page shows and saves a screenshot.

Usage: diagram.py HTML_FILE SCREENSHOT_DIR
Chromium runs with its background networking off and every host name unresolvable, so the page
gets no network; the test also asserts it asked for nothing and logged no error.
"""

import json
import os
import pathlib
import sys

import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PAGE, SHOTS = pathlib.Path(sys.argv[1]).resolve(), sys.argv[2]
WIDTH = chromium.WIDTH

os.makedirs(SHOTS, exist_ok=True)
driver, profile = chromium.start(offline=True, browser_logs=True)
wait = WebDriverWait(driver, 20)


def shot(name):
    driver.save_screenshot(os.path.join(SHOTS, name))


def panel():
    return driver.find_element(By.ID, "panel").text


def edge_between(data, subject, relation, obj):
    """The SVG id of the edge `subject —relation→ object` (labels), from the page's data."""
    found = [
        id
        for id, e in data["edges"].items()
        if e["subject"]["label"] == subject and e["relation"] == relation and e["object"]["label"] == obj
    ]
    assert len(found) == 1, f"one edge {subject} —{relation}→ {obj}: {found}"
    return found[0]


def click_edge(id):
    """Clicks the edge's label (a curve's middle may miss its thin line)."""
    driver.find_element(By.CSS_SELECTOR, f"g#{id} text").click()
    wait.until(lambda d: d.find_element(By.ID, "panel").get_attribute("data-showing") == id)


try:
    driver.get(PAGE.as_uri())
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#diagram svg g.edge"))
    data = json.loads(driver.find_element(By.ID, "stroma-data").get_attribute("textContent"))

    # Every edge drawn has its record, and every record is drawn.
    drawn = driver.execute_script(
        "return [...document.querySelectorAll('#diagram svg g.edge')].map(g => g.id)"
    )
    assert sorted(drawn) == sorted(data["edges"]), (drawn, list(data["edges"]))
    shot("1-opened.png")

    # 1. The hop iPSC-MSC —activates→ PI3K/Akt: ref 64 (Liu X 2017, rat osteonecrosis), the
    # first hop of path 5, whose context changes at hop 2 (data/bone.ttl).
    hop = edge_between(data, "iPSC-derived MSC", "activates", "PI3K/Akt signalling")
    click_edge(hop)
    text = panel()
    for expected in [
        "iPSC-derived MSC → activates → PI3K/Akt signalling",
        "[64] Liu X 2017",
        "Exosomes Secreted from Human-Induced Pluripotent Stem Cell-Derived Mesenchymal Stem Cells",
        "steroid-induced osteonecrosis of the femoral head (rat)",
        "rat",
        "exosomes",
        "stmt:",
        "iPSC-MSC exosomes switched on PI3K/Akt signalling in endothelial cells.",
        "path 5, hop 1 of 3 — mixed contexts: changes at hop 2",
        "positive",
    ]:
        assert expected in text, f"the panel shows {expected!r}:\n{text}"
    assert "[111]" not in text, f"only the hop's own study:\n{text}"
    selected = driver.execute_script("return document.querySelector('#diagram svg g.selected').id")
    assert selected == hop, selected
    shot("2-edge.png")

    # 2. The hop where path 5's context changes: PI3K/Akt —mediates→ intestinal epithelial
    # cell proliferation, on ref 111 in murine colitis (data/immune.ttl).
    change = edge_between(data, "PI3K/Akt signalling", "mediates", "intestinal epithelial cell proliferation")
    click_edge(change)
    text = panel()
    for expected in [
        "[111] Yang H 2019",
        "experimental colitis (mouse)",
        "path 5, hop 2 of 3",
        "≠ the context changes at this hop",
        "path 6, hop 3 of 4 — every hop on ref 111",
    ]:
        assert expected in text, f"the panel shows {expected!r}:\n{text}"
    assert "[64]" not in text, text
    shot("3-context-change.png")

    # 3. A node: its label, types, CURIE and synonyms.
    tsg6 = [id for id, n in data["nodes"].items() if n["label"] == "TSG-6"]
    assert len(tsg6) == 1, tsg6
    driver.find_element(By.CSS_SELECTOR, f"g#{tsg6[0]} text").click()
    wait.until(lambda d: d.find_element(By.ID, "panel").get_attribute("data-showing") == tsg6[0])
    text = panel()
    for expected in ["TSG-6", "sr:TSG6", "TNFAIP6", "other gene product"]:
        assert expected in text, f"the node panel shows {expected!r}:\n{text}"

    # 4. Search: a synonym in another case finds TSG-6 alone; a word finds two nodes.
    search = driver.find_element(By.ID, "search")
    search.send_keys("tnfaip6")
    wait.until(lambda d: d.find_element(By.ID, "matches").text == "1 match")
    hits = driver.execute_script(
        "return [...document.querySelectorAll('#diagram svg g.node.hit')].map(g => g.id)"
    )
    assert hits == tsg6, hits
    dimmed = driver.execute_script(
        "return document.querySelectorAll('#diagram svg g.node.dim').length"
    )
    assert dimmed == len(data["nodes"]) - 1, dimmed
    search.clear()
    search.send_keys("INTESTINAL")
    wait.until(lambda d: d.find_element(By.ID, "matches").text == "2 matches")
    hit_labels = driver.execute_script(
        """const data = JSON.parse(document.getElementById('stroma-data').textContent);
           return [...document.querySelectorAll('#diagram svg g.node.hit')]
             .map(g => data.nodes[g.id].label).sort()"""
    )
    assert hit_labels == ["intestinal epithelial cell proliferation", "intestinal repair"], hit_labels
    shot("4-search.png")

    # Nothing was fetched and nothing failed.
    fetched = driver.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)"
    )
    assert fetched == [], f"the page fetched {fetched}"
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"the console logged errors: {errors}"
    print("diagram walk ok")
finally:
    driver.quit()
