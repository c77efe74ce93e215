#!/usr/bin/env python3
"""Check tests/anonymise/casussen.toml and the lists under assets/anonymise/.

Run from the repository root:  python3 tests/anonymise/check_casussen.py
Exits with status 1 and prints every problem when something is wrong; prints the counts.
"""

import re
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASUSSEN = ROOT / "tests" / "anonymise" / "casussen.toml"
ASSETS = ROOT / "assets" / "anonymise"

CATEGORIES = [
    "naam", "email", "telefoon", "bsn", "iban", "adres", "postcode", "datum",
    "geboortedatum", "leeftijd", "kenteken", "dossiernummer",
]
MINIMUM = {
    "naam": 40, "email": 12, "telefoon": 15, "bsn": 10, "iban": 10, "adres": 15,
    "postcode": 10, "datum": 12, "geboortedatum": 5, "leeftijd": 6, "kenteken": 5,
    "dossiernummer": 8,
}
MIN_CASUSSEN = 70
MIN_WITHOUT_PERSONAL = 8

problems: list[str] = []


def problem(msg: str) -> None:
    problems.append(msg)


def elfproef(digits: str) -> bool:
    if not re.fullmatch(r"\d{9}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def iban_ok(iban: str) -> bool:
    if not re.fullmatch(r"NL\d{2}[A-Z]{4}\d{10}", iban):
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


POSTCODE = re.compile(r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}")
KENTEKEN = re.compile(
    r"(?:\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}"
    r"|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}|\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d"
    r"|[A-Z]{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-[A-Z]{2}-\d{2})"
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def phone_ok(value: str) -> bool:
    if not re.fullmatch(r"[0-9+() -]+", value):
        return False
    digits = re.sub(r"\D", "", value.replace("(0)", ""))
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and value.lstrip().startswith("+"):
        digits = "0" + digits[2:]
    return len(digits) == 10 and digits.startswith("0")


def occurrences(text: str, value: str) -> list[int]:
    out, start = [], 0
    while (i := text.find(value, start)) != -1:
        out.append(i)
        start = i + 1
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def check_casussen() -> Counter:
    data = tomllib.loads(CASUSSEN.read_text(encoding="utf-8"))
    casussen = data.get("casus", [])
    counts: Counter = Counter()
    without = 0
    if set(data) != {"casus"}:
        problem(f"unexpected top-level keys: {sorted(set(data) - {'casus'})}")
    for n, casus in enumerate(casussen, start=1):
        where = f"casus {casus.get('id', '?')}"
        if casus.get("id") != n:
            problem(f"{where}: id should be {n} (ids run 1..n in file order)")
        if set(casus) != {"id", "text", "personal", "keep"}:
            problem(f"{where}: keys must be id, text, personal, keep; found {sorted(casus)}")
            continue
        text = casus["text"]
        if text != unicodedata.normalize("NFC", text):
            problem(f"{where}: text is not in Unicode NFC")
        if "\n" in text or text != text.strip():
            problem(f"{where}: text has a line break or surrounding white space")
        personal = casus["personal"]
        if not personal:
            without += 1

        # Assign spans as src/anonymise/eval.rs does: entry k with value v is the k-th
        # occurrence of v, searching on after the end of the previous one.
        spans: dict[int, tuple[int, int]] = {}
        search_from: dict[str, int] = {}
        for i, entry in enumerate(personal):
            cat, value = entry.get("category"), entry.get("value", "")
            if set(entry) != {"category", "value"}:
                problem(f"{where}: entry {entry} must have exactly category and value")
            if cat not in CATEGORIES:
                problem(f"{where}: unknown category {cat!r}")
            if not value or value != value.strip():
                problem(f"{where}: empty value or value with surrounding white space: {value!r}")
                continue
            at = text.find(value, search_from.get(value, 0))
            if at == -1:
                problem(f"{where}: {cat} {value!r} is not a substring of the text (or listed too often)")
                continue
            search_from[value] = at + len(value)
            span = (at, at + len(value))
            for j, other in spans.items():
                if overlaps(span, other):
                    problem(f"{where}: {value!r} overlaps {personal[j]['value']!r}"
                            " (list a short value before a longer one only when it comes first)")
            spans[i] = span
        # Every occurrence of a value is annotated, or lies inside a longer annotated detail.
        for value in {e.get("value", "") for e in personal}:
            for s in occurrences(text, value):
                span = (s, s + len(value))
                if not any(overlaps(span, sp) for sp in spans.values()):
                    problem(f"{where}: occurrence of {value!r} at {s} is not annotated")
        starts = [spans[i][0] for i in range(len(personal)) if i in spans]
        if starts != sorted(starts):
            problem(f"{where}: personal entries are not in text order")

        for i, entry in enumerate(personal):
            cat, value = entry.get("category"), entry.get("value", "")
            counts[cat] += 1
            if cat == "bsn":
                if not re.fullmatch(r"\d{9}|\d{3}\.\d{3}\.\d{3}|\d{4} \d{2} \d{3}", value):
                    problem(f"{where}: bsn {value!r} is not written as 9 digits, 3.3.3 or 4 2 3")
                elif not elfproef(re.sub(r"\D", "", value)):
                    problem(f"{where}: bsn {value!r} fails the elfproef")
            elif cat == "iban":
                if not re.fullmatch(r"NL\d{2}[A-Z]{4}\d{10}|NL\d{2} [A-Z]{4} \d{4} \d{4} \d{2}", value):
                    problem(f"{where}: iban {value!r} is not plain or grouped by four")
                elif not iban_ok(value.replace(" ", "")):
                    problem(f"{where}: iban {value!r} fails the mod-97 check")
            elif cat == "postcode" and not POSTCODE.fullmatch(value):
                problem(f"{where}: postcode {value!r} is not a Dutch postcode")
            elif cat == "kenteken" and not KENTEKEN.fullmatch(value):
                problem(f"{where}: kenteken {value!r} does not match a Dutch sidecode")
            elif cat == "email" and not EMAIL.fullmatch(value):
                problem(f"{where}: email {value!r} is not an e-mail address")
            elif cat == "telefoon" and not phone_ok(value):
                problem(f"{where}: telefoon {value!r} is not a 10-digit Dutch number")
            elif cat == "geboortedatum" and not re.match(r"(geboren op|geboren|geb\.|geboortedatum) ", value):
                problem(f"{where}: geboortedatum {value!r} must start with its marker")
            elif cat == "adres" and not re.search(r"\d", value):
                problem(f"{where}: adres {value!r} has no house number")

        # Nothing that looks like a BSN, IBAN, e-mail or postcode is left unannotated.
        covered = list(spans.values())
        def unannotated(m: re.Match) -> bool:
            return not any(overlaps((m.start(), m.end()), sp) for sp in covered)
        for m in re.finditer(r"(?<![\d.])(\d{9}|\d{3}\.\d{3}\.\d{3}|\d{4} \d{2} \d{3})(?![\d.])", text):
            if elfproef(re.sub(r"\D", "", m.group())) and unannotated(m):
                problem(f"{where}: {m.group()!r} passes the elfproef but is not annotated")
        for m in re.finditer(r"(?:\+|\b00)?\(?\d[\d ()-]{7,18}\d", text):
            if phone_ok(m.group()) and unannotated(m):
                problem(f"{where}: phone number {m.group()!r} is not annotated")
        for pattern, what in ((r"NL\d{2} ?[A-Z]{4}", "IBAN"), (EMAIL.pattern, "e-mail"),
                              (r"\b[1-9]\d{3} ?[A-Z]{2}\b", "postcode"),
                              (r"\b" + KENTEKEN.pattern + r"\b", "kenteken")):
            for m in re.finditer(pattern, text):
                if unannotated(m):
                    problem(f"{where}: {what} {m.group()!r} is not annotated")

        keep = casus["keep"]
        if len(set(keep)) != len(keep):
            problem(f"{where}: keep has duplicates")
        for item in keep:
            occ = occurrences(text, item)
            if not occ:
                problem(f"{where}: keep {item!r} is not a substring of the text")
            for s in occ:
                if any(overlaps((s, s + len(item)), sp) for sp in covered):
                    problem(f"{where}: keep {item!r} at {s} overlaps a personal span")

    if len(casussen) < MIN_CASUSSEN:
        problem(f"{len(casussen)} casussen, need at least {MIN_CASUSSEN}")
    if without < MIN_WITHOUT_PERSONAL:
        problem(f"{without} casussen without personal details, need at least {MIN_WITHOUT_PERSONAL}")
    for cat, need in MINIMUM.items():
        if counts[cat] < need:
            problem(f"{counts[cat]} x {cat}, need at least {need}")
    counts["_casussen"] = len(casussen)
    counts["_zonder_persoonsgegevens"] = without
    counts["_keep"] = sum(len(c["keep"]) for c in casussen)
    return counts


def read_list(name: str) -> list[str]:
    path = ASSETS / name
    raw = path.read_text(encoding="utf-8")
    if not raw.endswith("\n"):
        problem(f"{name}: does not end with a newline")
    lines = raw.split("\n")[:-1] if raw.endswith("\n") else raw.split("\n")
    for n, line in enumerate(lines, start=1):
        if not line or line != line.strip() or "\t" in line or line.startswith("#"):
            problem(f"{name}:{n}: empty line, comment or surrounding white space: {line!r}")
        if line != unicodedata.normalize("NFC", line):
            problem(f"{name}:{n}: not in Unicode NFC: {line!r}")
    if lines != sorted(lines):
        bad = next(b for a, b in zip(lines, lines[1:]) if a > b)
        problem(f"{name}: not sorted by code point (first out of order: {bad!r})")
    folded = Counter(l.casefold() for l in lines)
    dups = sorted(w for w, c in folded.items() if c > 1)
    if dups:
        problem(f"{name}: duplicates (ignoring case): {dups}")
    return lines


TUSSENVOEGSELS = {"van", "de", "der", "den", "ter", "ten", "te", "in", "'t", "het", "op", "uit", "el", "al"}


def check_lists() -> dict[str, int]:
    voornamen = read_list("voornamen.txt")
    achternamen = read_list("achternamen.txt")
    straatwoorden = read_list("straatwoorden.txt")
    gewoon = read_list("gewone_woorden.txt")
    for name, words in (("voornamen.txt", voornamen), ("achternamen.txt", achternamen)):
        for w in words:
            if not w[0].isupper():
                problem(f"{name}: {w!r} does not start with a capital")
            if not re.fullmatch(r"[^\W\d_]+(?:[-'’ ][^\W\d_]+)*", w):
                problem(f"{name}: {w!r} has characters a name does not have")
    for w in achternamen:
        if w.split(" ")[0].casefold() in TUSSENVOEGSELS or w.split("-")[0].casefold() in TUSSENVOEGSELS:
            problem(f"achternamen.txt: {w!r} starts with a tussenvoegsel")
    for w in straatwoorden + gewoon:
        if w != w.lower() or not re.fullmatch(r"[^\W\d_]+", w):
            problem(f"{w!r} in straatwoorden/gewone_woorden must be one lower-case word")
    names = {w.casefold() for w in voornamen + achternamen}
    for w in gewoon:
        if w not in names:
            problem(f"gewone_woorden.txt: {w!r} is in neither voornamen.txt nor achternamen.txt")
    if len(voornamen) < 600:
        problem(f"voornamen.txt has {len(voornamen)} names, need at least 600")
    if len(achternamen) < 600:
        problem(f"achternamen.txt has {len(achternamen)} names, need at least 600")
    if not (ASSETS / "README.md").is_file():
        problem("assets/anonymise/README.md is missing")
    return {"voornamen.txt": len(voornamen), "achternamen.txt": len(achternamen),
            "straatwoorden.txt": len(straatwoorden), "gewone_woorden.txt": len(gewoon)}


def main() -> int:
    counts = check_casussen()
    sizes = check_lists()
    print(f"casussen: {counts['_casussen']}  (zonder persoonsgegevens: {counts['_zonder_persoonsgegevens']},"
          f" keep-items: {counts['_keep']})")
    for cat in CATEGORIES:
        print(f"  {cat:<14}{counts[cat]:>4}   (minimum {MINIMUM[cat]})")
    print(f"  {'totaal':<14}{sum(counts[c] for c in CATEGORIES):>4}")
    for name, size in sizes.items():
        print(f"{name}: {size}")
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
