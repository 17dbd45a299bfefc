"""Prints one line counting passed and failed tests over JUnit XML reports."""
import sys
import xml.etree.ElementTree as ET


def count(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    total = failed = skipped = 0
    for s in suites:
        total += int(s.get("tests", 0))
        failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
        skipped += int(s.get("skipped", 0) or s.get("disabled", 0) or 0)
    return total - failed - skipped, failed, skipped


def main(paths):
    parts, passed, failed, skipped, missing = [], 0, 0, 0, []
    for p in paths:
        c = count(p)
        name = p.rsplit("/", 1)[-1].removesuffix(".xml")
        if c is None:
            missing.append(name)
            continue
        passed, failed, skipped = passed + c[0], failed + c[1], skipped + c[2]
        parts.append(f"{name} {c[0]}/{c[0] + c[1]}")
    line = f"TESTS: {passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    line += " (" + ", ".join(parts) + ")"
    if missing:
        line += "; no report from " + ", ".join(missing)
    print(line)
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
