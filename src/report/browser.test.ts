import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkip, withPage } from "./browser.test-support.ts";
import { samplePage } from "./sample-page.ts";

test("the sample report renders in headless Chromium: every section visible, charts drawn, no requests", {
  skip: browserSkip,
}, async () => {
  await withPage(await samplePage(7), "report-sample", async (page, problems) => {
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
  });
});
