import json, sys
def cad(text, count, per, at_least=False, subj=None, anchors=(), window=None):
    return {"text": text, "count": count, "at_least": at_least, "per": per,
            "per_subject": subj, "anchors": list(anchors), "window": window}
def C(section, text, parties, cadence=None, target=None):
    return {"section": section, "text": text, "parties": parties, "cadence": cadence, "target": target}
def S(path, heading, level):
    return {"path": path, "heading": heading, "level": level}
def LB(text, number=None, date=None):
    return {"text": text, "ref": {"number": number, "date": date} if number else None}
def R(text, name, purpose):
    return {"text": text, "name": name, "purpose": purpose}
def SG(title, name, authority=None):
    return {"authority": authority, "title": title, "name": name}
def T(text, comp, value, unit):
    return {"text": text, "comparator": comp, "value": value, "unit": unit}
def write(path, **kw):
    doc = {"format": "phoihop.import/1"}
    doc.update(kw)
    parts = set()
    for c in doc["commitments"]:
        parts.update(c["parties"])
    doc.setdefault("partners", sorted(parts))
    doc.setdefault("warnings", [])
    json.dump(doc, open(path, "w"), ensure_ascii=False, indent=1)
    print(path, len(doc["commitments"]), "commitments")
