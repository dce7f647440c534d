#!/usr/bin/env python3
"""Fill the English plural forms of a Qt .ts file made by `lupdate -pluralonly`.

Muze's source strings are English and write plurals as "%n take(s)"; Qt substitutes %n but only
a translation knows that one take is "1 take". This turns every numerus message into its two
English forms: "(s)" dropped or kept, and, in the singular, the verb that follows agrees
("1 device has", "1 conflict needs"). Usage: fill-en-plurals.py IN.ts OUT.ts
"""
import re
import sys
import xml.etree.ElementTree as ET

# Plural verb -> singular verb, for the words that follow a counted noun in Muze's strings.
VERBS = {"have": "has", "need": "needs", "are": "is", "were": "was", "wait": "waits"}


def singular(text: str) -> str:
    head, sep, tail = text.partition("(s)")
    if not sep:
        return text
    tail = tail.replace("(s)", "")
    tail = re.sub(r"\b(" + "|".join(VERBS) + r")\b", lambda m: VERBS[m.group(1)], tail, count=1)
    return head + tail


def plural(text: str) -> str:
    return text.replace("(s)", "s")


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    tree = ET.parse(sys.argv[1])
    filled = 0
    for message in tree.getroot().iter("message"):
        if message.get("numerus") != "yes":
            continue
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        translation.text = None
        for child in list(translation):
            translation.remove(child)
        for form in (singular(source), plural(source)):
            ET.SubElement(translation, "numerusform").text = form
        filled += 1
    if filled == 0:
        print(f"{sys.argv[1]}: no plural messages found", file=sys.stderr)
        return 1
    tree.write(sys.argv[2], encoding="utf-8", xml_declaration=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
