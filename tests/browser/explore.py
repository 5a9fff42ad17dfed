"""A researcher's walk through Stroma's web explorer in headless Chromium (WebDriver through
Debian's chromedriver, driven by Selenium): search an entity with the suggestions as you type,
open its page, click a node of its diagram, run a named query and a broken one, trace two
entities, open the matrix and click a cell, read Table 1. Each step asserts on what the page
shows and saves a screenshot.

Usage: explore.py BASE_URL SCREENSHOT_DIR
Chromium is started with its background networking off: the machine has no outside network.
"""

import os
import shutil
import sys

import chromium
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE, SHOTS = sys.argv[1].rstrip("/"), sys.argv[2]
WIDTH = chromium.WIDTH

os.makedirs(SHOTS, exist_ok=True)
driver, profile = chromium.start()
wait = WebDriverWait(driver, 20)


def shot(name, full=False):
    """Saves a screenshot; `full` grows the window to the page's height first."""
    if full:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(WIDTH, min(max(height, 900), 6000))
    driver.save_screenshot(os.path.join(SHOTS, name))
    driver.set_window_size(WIDTH, 900)


def text():
    return driver.find_element(By.TAG_NAME, "main").text


def heading():
    return driver.find_element(By.TAG_NAME, "h1").text


def no_overlap(selector):
    """No two elements matching `selector` overlap on the page (laid out, not stacked)."""
    boxes = driver.execute_script(
        """return [...document.querySelectorAll(arguments[0])]
             .map(e => e.getBoundingClientRect())
             .filter(r => r.width > 0 && r.height > 0)
             .map(r => [r.left, r.top, r.right, r.bottom]);""",
        selector,
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
            assert not overlap, f"{selector}: {a} overlaps {b}"


def no_horizontal_scroll():
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= WIDTH, f"the page is {width}px wide at a {WIDTH}px window"


try:
    # 1. Search: suggestions appear as the name is typed, then the hit opens its page.
    driver.get(BASE + "/")
    box = wait.until(EC.element_to_be_clickable((By.ID, "q")))
    box.send_keys("TSG")
    wait.until(
        lambda d: d.execute_script(
            "return [...document.querySelectorAll('#suggestions option')].map(o => o.value)"
        ).count("TSG-6")
        == 1
    )
    shot("1-search.png")
    # Other text lists the matches; a click on one opens its page.
    box.send_keys(Keys.ENTER)
    wait.until(EC.url_contains("/search?q=TSG"))
    assert "TSG-6" in text(), text()
    driver.find_element(By.LINK_TEXT, "TSG-6").click()
    wait.until(EC.url_contains("/entity/sr:TSG6"))
    # A search for exactly a suggested name goes straight to its page.
    driver.get(BASE + "/")
    box = wait.until(EC.element_to_be_clickable((By.ID, "q")))
    box.send_keys("TSG-6")
    wait.until(
        lambda d: "TSG-6"
        in d.execute_script(
            "return [...document.querySelectorAll('#suggestions option')].map(o => o.value)"
        )
    )
    box.send_keys(Keys.ENTER)

    # 2. The entity page: card, evidence, and the neighbourhood diagram.
    wait.until(EC.url_contains("/entity/sr:TSG6"))
    assert heading() == "TSG-6", heading()
    page = text()
    assert "[111] Yang H 2019" in page, "the study behind TSG-6's relations"
    assert "→ mediates" in page and "← secretes" in page, "relations with their direction"
    driver.find_element(By.CSS_SELECTOR, "figure.diagram svg")
    no_overlap("main h2")
    no_overlap("header.top nav a")
    no_horizontal_scroll()
    shot("2-entity.png")
    shot("2-entity-full.png", full=True)

    # 3. A click on a node of the diagram opens that node's page.
    node = driver.find_element(
        By.XPATH,
        "//*[local-name()='svg']//*[local-name()='a'][contains(@*[local-name()='href'], 'sr:IntestinalRepair')]"
        "//*[local-name()='text']",
    )
    node.click()
    wait.until(EC.url_contains("/entity/sr:IntestinalRepair"))
    assert heading() == "intestinal repair", heading()
    assert "TSG-6" in text(), "intestinal repair's page names what mediates it"
    shot("3-clicked-node.png")

    # 4. A named query, one click away, gives a table; a broken one says where it breaks.
    driver.get(BASE + "/query")
    driver.find_element(By.LINK_TEXT, "table-1").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.results")))
    rows = driver.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert len(rows) == 10, f"Table 1 has ten rows, not {len(rows)}"
    assert "proliferation rate" in text()
    assert driver.find_element(By.LINK_TEXT, "csv").get_attribute("href").endswith(
        "/download?name=table-1&format=csv"
    )
    no_horizontal_scroll()
    shot("4-query.png")
    # The editor is CodeMirror over the form's textarea, highlighting SPARQL.
    driver.find_element(By.CSS_SELECTOR, "form.editor .CodeMirror .cm-keyword")
    driver.execute_script(
        "document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])",
        "SELECT ?x WHERE {\n  ?x ?y\n}",
    )
    # Brackets match: with the cursor after "{", it and its "}" are marked.
    driver.execute_script(
        "const cm = document.querySelector('.CodeMirror').CodeMirror; cm.focus(); cm.setCursor({line: 0, ch: 17})"
    )
    wait.until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".CodeMirror-matchingbracket")) == 2
    )
    driver.find_element(By.CSS_SELECTOR, ".CodeMirror-code").click()
    # The editor's key: Ctrl+Enter runs.
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".error")))
    assert "syntax error in the query at 3:" in text(), text()
    marked = driver.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-error-line")
    assert len(marked) == 1, "the line the error names is marked"
    shot("4-query-error.png")

    # 5. Trace two entities from the form.
    driver.get(BASE + "/trace")
    driver.find_element(By.NAME, "from").send_keys("TSG-6")
    driver.find_element(By.NAME, "to").send_keys("intestinal repair")
    driver.find_element(By.CSS_SELECTOR, "form.trace button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "ol.paths")))
    page = text()
    assert "Path 1" in page and "coherent: one study" in page, page
    assert "[111] Yang H 2019" in page
    driver.find_element(By.CSS_SELECTOR, "figure.diagram svg")
    no_overlap("form.trace label")
    no_horizontal_scroll()
    shot("5-trace.png")
    shot("5-trace-full.png", full=True)

    # 6. The matrix: a cell opens its trace.
    driver.get(BASE + "/matrix")
    cell = driver.find_element(
        By.CSS_SELECTOR, "a.cell[href='/trace?from=sr:TSG6&to=sr:IntestinalRepair']"
    )
    shot("6-matrix.png")
    cell.click()
    wait.until(EC.url_contains("/trace?from=sr:TSG6&to=sr:IntestinalRepair"))
    assert "Path 1" in text(), text()
    assert "intestinal repair" in text()

    # 7. Table 1, property by property.
    driver.get(BASE + "/compare")
    assert "proliferation rate" in text() and "▲ higher" in text()
    no_horizontal_scroll()
    shot("7-compare.png", full=True)
    print("explored: search, entity, diagram click, query, trace, matrix, compare")
finally:
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
