import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
/** Where browser tests leave their pages and screenshots (git-ignored). */
export const ARTIFACTS = join(import.meta.dirname, "..", "..", "test-artifacts");

async function loadPlaywright() {
  try {
    return await import("playwright-core");
  } catch {
    return undefined;
  }
}

const playwright = await loadPlaywright();

/** Why browser tests cannot run here (printed once), or false when Debian's Chromium and playwright-core exist. */
export const browserSkip: string | false = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (apt-get install chromium to run this check)`
  : !playwright
    ? "playwright-core is not installed (npm install --save-dev playwright-core)"
    : false;
if (browserSkip) console.log(`# skipping the headless-browser checks: ${browserSkip}`);

/**
 * Writes `html` to test-artifacts/`name`.html, opens it in headless Chromium (the project's flags) and runs `check`
 * with the page and the problems seen so far (console errors and warnings, page errors, any non-file request);
 * saves a full-page screenshot `name`.png after a successful check. Only call it when `browserSkip` is false.
 */
export async function withPage(
  html: string,
  name: string,
  check: (page: Page, problems: string[]) => Promise<void>,
): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.html`);
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
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) problems.push(`request to ${r.url()}`);
    });
    await page.goto(`file://${file}`);
    await check(page, problems);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  } finally {
    await browser.close();
  }
}
