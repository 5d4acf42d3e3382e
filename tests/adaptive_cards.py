"""Checking cards with the Adaptive Cards library itself (the `adaptivecards` npm package, see package.json).

One node process checks a whole list of cards. For each card it reports what the library rejects when it parses
the card as version 1.5 (unknown element types, invalid property values), what `validateProperties` finds (missing
or duplicate input ids, too many actions, ...), and every property that the library's schema for that type does
not have in version 1.5 (the library would drop it silently: a typo, or a feature Teams would ignore).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.js"

_SCRIPT = r"""
const AC = require(process.argv[1]);
const V = AC.Versions.v1_5;
const registries = [AC.GlobalRegistry.elements, AC.GlobalRegistry.actions];
// properties that are not in a type's schema but are parsed by the type itself (children, fallback) or are
// a host's documented extension (Teams' "msteams" on the card)
const STRUCTURE = {
  AdaptiveCard: ["body", "actions", "msteams"], Container: ["items"], Column: ["items", "width"],
  ColumnSet: ["columns"], ActionSet: ["actions"], "Action.ShowCard": ["card"],
};
const CHILDREN = { facts: ["title", "value"], choices: ["title", "value"] };

function known(type) {
  for (const registry of registries) {
    const entry = registry.findByName(type);
    if (!entry) continue;
    if (entry.schemaVersion && !AC.isVersionLessOrEqual(entry.schemaVersion, V)) return { newer: entry.schemaVersion };
    const schema = registry.createInstance(type, V).getSchema();
    const names = new Set(["type", "fallback", ...(STRUCTURE[type] || [])]);
    for (let i = 0; i < schema.getCount(); i++) {
      const property = schema.getItemAt(i);
      if (AC.isVersionLessOrEqual(property.targetVersion, V)) names.add(property.name);
    }
    return { names };
  }
  return null;
}

function walk(node, path, problems, names) {
  if (Array.isArray(node)) { node.forEach((item, i) => walk(item, `${path}[${i}]`, problems)); return; }
  if (node === null || typeof node !== "object") return;
  if (names === undefined && typeof node.type === "string") {
    const found = node.type === "AdaptiveCard" ? { names: new Set(["type", "$schema", "version", "fallbackText",
      "speak", "lang", "rtl", "minHeight", "verticalContentAlignment", "backgroundImage", "selectAction",
      "refresh", "authentication", ...STRUCTURE.AdaptiveCard]) } : known(node.type);
    if (found === null) { problems.push(`${path}: unknown type ${node.type}`); return; }
    if (found.newer) { problems.push(`${path}: ${node.type} is from version ${found.newer}, after 1.5`); return; }
    names = found.names;
  }
  for (const [key, value] of Object.entries(node)) {
    if (names && !names.has(key)) problems.push(`${path}.${key}: not a property of ${node.type} in version 1.5`);
    if (key === "data" || key === "msteams") continue;  // free-form
    if (key in CHILDREN && Array.isArray(value)) {
      value.forEach((child, i) => Object.keys(child).filter((k) => !CHILDREN[key].includes(k))
        .forEach((k) => problems.push(`${path}.${key}[${i}].${k}: not a property of a ${key} entry`)));
      continue;
    }
    walk(value, `${path}.${key}`, problems);
  }
}

const cards = JSON.parse(require("fs").readFileSync(0, "utf8"));
const results = cards.map((json) => {
  const problems = [];
  if (json.type !== "AdaptiveCard" || json.version !== "1.5") problems.push("not an AdaptiveCard of version 1.5");
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(V);
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validation: ${event.message}`);
  walk(json, "card", problems);
  return problems;
});
process.stdout.write(JSON.stringify(results));
"""


def check_cards(cards: list[dict]) -> list[list[str]]:
    """What the Adaptive Cards library finds wrong with each card (an empty list for a good card)."""
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the card checks run the Adaptive Cards library under node")
    if not LIBRARY.exists():
        pytest.fail(f"{LIBRARY.relative_to(ROOT)} is missing: run `npm ci` in the repository root")
    done = subprocess.run(
        ["node", "-e", _SCRIPT, str(LIBRARY)],
        input=json.dumps(cards),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        pytest.fail(f"the card checker failed: {done.stderr}")
    return json.loads(done.stdout)


def assert_valid_cards(cards: list[dict]) -> None:
    """Fail with every problem of every card the library does not accept as it is."""
    problems = {index: found for index, found in enumerate(check_cards(cards)) if found}
    assert not problems, "\n".join(
        f"card {index}: {problem}\n  {json.dumps(cards[index], ensure_ascii=False)[:400]}"
        for index, found in problems.items()
        for problem in found
    )
