'use strict';
// Shared helpers: launch Debian's headless Chromium through playwright-core, build reports with the engine.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(__dirname, 'artifacts');

async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'per4m-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const removeProfile = () => fs.rmSync(userDataDir, { recursive: true, force: true });
  // also when a test file ends without disposing of its browser (a failed before-hook, an uncaught error)
  process.once('exit', removeProfile);
  context.dispose = async () => { await context.close(); removeProfile(); };
  return context;
}

/** The engine's jar: PER4M_JAR, else the build folders Maven uses. */
function engineJar() {
  const candidates = [process.env.PER4M_JAR, path.join(ROOT, 'target', 'per4m.jar'), '/tmp/build-report/per4m.jar'].filter(Boolean);
  const jar = candidates.find((p) => fs.existsSync(p));
  if (!jar) throw new Error('per4m.jar not found: run `mvn -q package -DskipTests` first (or set PER4M_JAR)');
  return jar;
}

/** Runs `per4m report TRACE -o HTML` with the real engine. */
function report(trace, html) {
  fs.mkdirSync(path.dirname(html), { recursive: true });
  execFileSync('java', ['-cp', engineJar(), 'io.per4m.cli.Main', 'report', trace, '-o', html, '--quiet'], { stdio: 'inherit' });
  return html;
}

module.exports = { launch, report, engineJar, ROOT, ARTIFACTS };
