import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { samplePage } from "./sample-page.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dirname, "..", "..", "test-artifacts");

async function loadPlaywright() {
  try {
    return await import("playwright-core");
  } catch {
    return undefined;
  }
}

const playwright = await loadPlaywright();
const skip = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (apt-get install chromium to run this check)`
  : !playwright
    ? "playwright-core is not installed (npm install --save-dev playwright-core)"
    : false;
if (skip) console.log(`# skipping the headless-browser report check: ${skip}`);

test("the sample report renders in headless Chromium: every section visible, charts drawn, no requests", {
  skip,
}, async () => {
  const html = await samplePage(7);
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, "report-sample.html");
  writeFileSync(file, html);
  const browser = await playwright!.chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) problems.push(`request to ${r.url()}`);
    });
    await page.goto(`file://${file}`);
    const ids = await page.locator("section[data-section]").evaluateAll((els) => els.map((e) => e.id));
    assert.ok(ids.length >= 10, `sections found: ${ids.join(", ")}`);
    for (const id of ids) {
      const section = page.locator(`#${id}`);
      assert.ok(await section.isVisible(), `section ${id} is visible`);
      const box = await section.boundingBox();
      assert.ok(box && box.height > 40, `section ${id} has content (height ${box?.height})`);
      for (const svg of await section.locator("figure svg").all()) {
        const b = await svg.boundingBox();
        assert.ok(b && b.width > 100 && b.height > 50, `a chart in ${id} is drawn at a readable size`);
      }
    }
    // The table of contents links every section.
    const links = await page
      .locator("nav.toc a")
      .evaluateAll((els) => els.map((e) => e.getAttribute("href")));
    assert.deepEqual(
      links,
      ids.map((id) => `#${id}`),
    );
    assert.deepEqual(problems, []);
    await page.screenshot({ path: join(ARTIFACTS, "report-sample.png"), fullPage: true });
  } finally {
    await browser.close();
  }
});
