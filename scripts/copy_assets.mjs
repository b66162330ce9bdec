// Copies from node_modules (installed by `npm ci` at package-lock.json's versions) the DSFR files the web pages
// serve under /static/dsfr/: the stylesheet, the module script, and exactly the fonts and icons that stylesheet
// refers to (read from its url(...) references, so an upgrade brings its own list). Run by `make assets`.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "node_modules", "@gouvfr", "dsfr", "dist");
const target = join(root, "shared", "elea", "web", "static", "dsfr");
const { version } = JSON.parse(readFileSync(join(root, "node_modules", "@gouvfr", "dsfr", "package.json"), "utf8"));

const files = new Set(["dsfr.min.css", "dsfr.module.min.js", "favicon/favicon.svg", "favicon/favicon.ico"]);
const css = readFileSync(join(dist, "dsfr.min.css"), "utf8");
for (const match of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  const reference = match[1];
  if (reference.startsWith("data:") || reference.startsWith("#")) continue;
  const relative = normalize(reference.split(/[?#]/)[0]);
  if (relative.startsWith("..") || relative.startsWith("/") || /^[a-z]+:/i.test(relative)) {
    throw new Error(`dsfr.min.css refers to a file outside dist/: ${reference}`);
  }
  files.add(relative);
}

rmSync(target, { recursive: true, force: true });
for (const file of [...files].sort()) {
  const destination = join(target, file);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(join(dist, file), destination);
}
writeFileSync(join(target, ".copied"), `@gouvfr/dsfr ${version}: ${files.size} files\n`);
console.log(`DSFR ${version}: ${files.size} fichiers copiés dans ${target}`);
