"""The default content against the domain fact sheet (tests/fixtures/domain-facts.yaml).

The drug table's indications cells are parsed in the form documented in
content/jak-inhibitors.yaml and compared with the fact sheet's ``drugs`` region by
region and by age; doses with its ``doses``; the safety lists with its ``safety``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
import yaml
from pptx import Presentation
from pypdf import PdfReader

from jakdeck.build import build
from jakdeck.model import load_document

from .conftest import FIXTURES, ROOT


# -- the content's facts, read from its generic blocks -------------------------------------------------

@dataclass(frozen=True)
class Drug:
    """A row of the content's drug table, as the comparisons below read it."""

    name: str
    brand: str
    targets: tuple[str, ...]
    route: str
    indications: str
    dose: str = ""


def drugs_of(doc) -> list[Drug]:
    """The rows of the drugs section's table, by column name."""
    table = doc.section("drugs").of("table")[0]
    col = {h: i for i, h in enumerate(table.header)}
    out = []
    for r in table.rows:
        dose = r[col["Usual dose"]]
        out.append(Drug(r[col["Drug"]].lower(), r[col["Brand"]], tuple(r[col["JAK targets"]].split(", ")),
                        r[col["Route"]].lower(), r[col["Approved dermatology indications"]],
                        "" if dose == "–" else dose))
    return out


@dataclass(frozen=True)
class Safety:
    """The monitoring section's lists, by heading."""

    boxed_warning: tuple[str, ...]
    boxed_warning_notes: tuple[str, ...]
    eu_restrictions: tuple[str, ...]
    baseline_checks: tuple[str, ...]
    monitoring: tuple[str, ...]


def safety_of(doc) -> Safety:
    sec = doc.section("monitoring")
    lists = {b.heading: tuple(p.text for p in b.items) for b in sec.of("bullets")}
    notes = tuple(b.text for b in sec.of("text"))
    return Safety(lists["Boxed warning (US)"], notes, lists["EU restrictions (2023)"], lists["Before starting"],
                  lists["During treatment"])


def take_home_of(doc) -> list[str]:
    return [p.text for p in doc.section("take-home").of("bullets")[0].items]

FACTS = yaml.safe_load((FIXTURES / "domain-facts.yaml").read_text(encoding="utf-8"))
REGIONS = {"US_FDA": "US", "EU": "EU", "UK": "UK", "JP": "Japan", "KR": "Korea", "CH": "Switzerland"}
INDICATIONS = {"AD": "AD", "AA": "AA", "vitiligo_nonsegmental": "Vitiligo",
               "chronic_hand_eczema": "Chronic hand eczema"}
ADULT = 18.0


@pytest.fixture(scope="module")
def doc():
    return load_document(ROOT / "content" / "jak-inhibitors.yaml")


# --- the cell form --------------------------------------------------------------------------------

def _age(part: str) -> float | None:
    """The youngest approved age a qualifier part states, in years; None if it states none."""
    if part == "adults":
        return ADULT
    m = re.fullmatch(r"≥ (\d+) (y|mo)", part)
    return None if m is None else float(m.group(1)) / (12 if m.group(2) == "mo" else 1)


def parse_cell(cell: str) -> tuple[dict, dict]:
    """An indications cell as ({indication: {region: (age, notes)}}, {indication: {regions not approved}});
    raises ValueError on text that does not follow the documented form."""
    approved: dict[str, dict[str, tuple[float | None, set[str]]]] = {}
    refused: dict[str, set[str]] = {}
    for entry in cell.split("; "):
        label, sep, rest = entry.partition(": ")
        if not sep or label not in INDICATIONS.values():
            raise ValueError(f"{entry!r}: expected '<indication>: <regions>' with one of {list(INDICATIONS.values())}")
        regions = approved.setdefault(label, {})
        no = refused.setdefault(label, set())
        for group in re.findall(r"[^,(]+(?:\([^)]*\))?", rest):
            group = group.strip(" ,")
            if group.startswith("not "):
                no.add(group[4:])
                continue
            m = re.fullmatch(r"([A-Za-z/]+)(?: \(([^)]*)\))?", group)
            if m is None:
                raise ValueError(f"{group!r} in {entry!r}: expected REGION[/REGION...] [(qualifier)]")
            parts = [p.strip() for p in (m.group(2) or "").split(",") if p.strip()]
            ages = [a for a in map(_age, parts) if a is not None]
            if len(ages) > 1:
                raise ValueError(f"{group!r}: more than one age")
            for region in m.group(1).split("/"):
                if region not in REGIONS.values():
                    raise ValueError(f"{region!r} in {entry!r}: not one of {list(REGIONS.values())}")
                if region in regions:
                    raise ValueError(f"{region!r} twice under {label}")
                regions[region] = (ages[0] if ages else None, {p for p in parts if _age(p) is None})
    return approved, refused


# --- the fact sheet -------------------------------------------------------------------------------

def _fact_ages(value) -> list[float]:
    """Ages a fact-sheet approval value states (">=12 y", "12-17 y", "2-11 y", "adults")."""
    if not isinstance(value, str):
        return []
    ages = [float(a) for a in re.findall(r">=\s*(\d+)\s*y", value)]
    ages += [float(a) for a in re.findall(r"\b(\d+)-\d+\s*y\b", value)]
    ages += [ADULT] * len(re.findall(r"\badults\b", value))
    return ages


def fact_approvals(facts: dict) -> tuple[dict, dict]:
    """({indication: {region: (youngest age or None, fact text)}}, {indication: {regions not approved}})."""
    approved: dict[str, dict] = {}
    refused: dict[str, set[str]] = {}
    for key, value in facts["approved"].items():
        if key in INDICATIONS and isinstance(value, dict):
            label = INDICATIONS[key]
            for region, v in value.items():
                if v is False:
                    refused.setdefault(label, set()).add(REGIONS[region])
                else:
                    ages = _fact_ages(v)
                    approved.setdefault(label, {})[REGIONS[region]] = (min(ages) if ages else None, str(v))
        elif value is False and "_" in key and key.split("_")[0] in INDICATIONS:   # e.g. AD_EU: false
            ind, region = key.split("_", 1)
            refused.setdefault(INDICATIONS[ind], set()).add(REGIONS[region])
    return approved, refused


def _fact_key(name: str) -> str:
    return name.replace(" ", "_")


def compare_drug(drug, facts: dict) -> list[str]:
    """Every way the row for *drug* differs from the fact sheet, as readable sentences."""
    problems = []
    got, got_not = parse_cell(drug.indications)
    want, want_not = fact_approvals(facts)
    for label in sorted(set(got) | set(want)):
        have, need = got.get(label, {}), want.get(label, {})
        for region in sorted(set(have) - set(need)):
            problems.append(f"{drug.name}, {label}: the table claims {region}, the fact sheet does not")
        for region in sorted(set(need) - set(have)):
            problems.append(f"{drug.name}, {label}: the fact sheet has {region}, the table leaves it out")
        stated = {a for a, _ in need.values() if a is not None}
        for region in sorted(set(have) & set(need)):
            age, notes = have[region]
            fact_age, fact_text = need[region]
            if fact_age is not None and age != fact_age:
                problems.append(f"{drug.name}, {label}, {region}: age {age} in the table, {fact_age} in the fact sheet")
            if fact_age is None and age is not None and age not in stated:
                problems.append(f"{drug.name}, {label}, {region}: the table states age {age}, which the fact sheet "
                                f"gives for no region of this indication")
            if "refractory" in fact_text and "refractory" not in notes:
                problems.append(f"{drug.name}, {label}, {region}: the label is for refractory disease")
        for region in sorted(got_not.get(label, set()) - want_not.get(label, set())):
            problems.append(f"{drug.name}, {label}: the table says 'not {region}', the fact sheet does not")
    for label in want_not:
        for region in sorted(want_not[label] & set(got.get(label, {}))):
            problems.append(f"{drug.name}, {label}: {region} is not approved, yet the table claims it")
    targets = [t.replace("_", " ") for t in facts["targets"]]
    if list(drug.targets) != targets:
        problems.append(f"{drug.name}: targets {list(drug.targets)}, fact sheet {targets}")
    if drug.route != facts["route"]:
        problems.append(f"{drug.name}: route {drug.route}, fact sheet {facts['route']}")
    brands = [facts["brand"]] if "brand" in facts else list(facts["brands"].values())
    problems += [f"{drug.name}: brand {b} missing" for b in brands if b not in drug.brand]
    return problems


def _norm(text: str) -> str:
    return " ".join(text.replace("≥", ">=").replace("≤", "<=").split())


# --- the tests ------------------------------------------------------------------------------------

def test_the_table_lists_exactly_the_fact_sheets_drugs(doc):
    assert sorted(_fact_key(d.name) for d in drugs_of(doc)) == sorted(FACTS["drugs"])


@pytest.mark.parametrize("key", sorted(FACTS["drugs"]))
def test_drug_row_matches_the_fact_sheet_region_by_region_and_by_age(doc, key):
    drug = next(d for d in drugs_of(doc) if _fact_key(d.name) == key)
    problems = compare_drug(drug, FACTS["drugs"][key])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", sorted(FACTS["drugs"]))
def test_drug_dose_is_the_fact_sheets_usual_dose(doc, key):
    drug = next(d for d in drugs_of(doc) if _fact_key(d.name) == key)
    if key in FACTS["doses"]:
        assert _norm(drug.dose) == _norm(FACTS["doses"][key]), f"{drug.name}: dose {drug.dose!r}"
    else:  # no schedule that the fact sheet does not give
        assert not re.search(r"daily|mg", drug.dose), f"{drug.name}: dose {drug.dose!r} is not in the fact sheet"


def test_the_comparison_checks_itself():
    """The checker finds a region added, a region dropped, a wrong age, a wrong target and a wrong route."""
    facts = FACTS["drugs"]["baricitinib"]
    good = Drug("baricitinib", "Olumiant", ("JAK1", "JAK2"), "oral",
                "AA: US/EU/Japan/Korea (adults); AD: EU/UK (≥ 2 y), Japan, Korea, not US")
    assert compare_drug(good, facts) == []
    cases = {
        "AA: US/EU/Japan/Korea (adults); AD: EU/UK (≥ 2 y), Japan, Korea, US": "US is not approved",
        "AA: US/EU/Japan/Korea (adults); AD: EU/UK (≥ 2 y), Korea, not US": "has Japan",
        "AA: US/EU/Japan/Korea (adults); AD: EU/UK (≥ 12 y), Japan, Korea, not US": "age 12.0",
        "AA: US/EU/Japan/Korea (≥ 12 y); AD: EU/UK (≥ 2 y), Japan, Korea, not US": "age 12.0",
    }
    for cell, message in cases.items():
        found = "\n".join(compare_drug(Drug("baricitinib", "Olumiant", ("JAK1", "JAK2"), "oral", cell), facts))
        assert message in found, (cell, found)
    assert any("targets" in p for p in compare_drug(Drug("baricitinib", "Olumiant", ("JAK1",), "oral",
                                                         good.indications), facts))
    assert any("route" in p for p in compare_drug(Drug("baricitinib", "Olumiant", ("JAK1", "JAK2"), "topical",
                                                       good.indications), facts))
    with pytest.raises(ValueError):
        parse_cell("AD (EU only)")


def test_baricitinib_ad_names_japan_and_not_the_us(doc):
    drug = next(d for d in drugs_of(doc) if d.name == "baricitinib")
    approved, refused = parse_cell(drug.indications)
    assert "Japan" in approved["AD"] and "US" not in approved["AD"] and "US" in refused["AD"]
    hand = parse_cell(next(d for d in drugs_of(doc) if d.name == "delgocitinib").indications)[0]["Chronic hand eczema"]
    assert "EU" in hand


def _talk_text(built) -> str:
    prs = Presentation(io.BytesIO(built.files["talk.pptx"]))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def _poster_text(built) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(built.files["poster.pdf"])).pages)


def test_no_output_says_eu_only(default_build):
    talk, poster = _talk_text(default_build), _poster_text(default_build)
    assert "Olumiant" in talk and "Baricitinib" in poster       # the texts were read
    assert "eu only" not in talk.lower()
    assert "eu only" not in " ".join(poster.lower().split())


def test_outputs_carry_the_checks_and_the_boxed_warnings_scope(default_build):
    talk = _talk_text(default_build)
    poster = " ".join(_poster_text(default_build).split())
    for text in (talk, poster):
        assert "CYP2C9" in text and "delgocitinib cream" in text and "ORAL Surveillance" in text
        assert "EU restrictions (2023)" in text


def test_take_home_one_says_shared_jak_dependence_not_shared_cytokines(doc, tmp_path):
    first = take_home_of(doc)[0]
    assert "JAK dependence" in first and "JAK1" in first
    assert not re.search(r"cytokines? (signals )?shared|share[sd]? cytokine", first)
    config = tmp_path / "takeaway.yaml"
    config.write_text("poster: {layout: poster-takeaway}\n")
    message = build(config=config).scenes["poster"].pages[0].find("takeaway/message")[0]
    assert "JAK dependence" in " ".join(r.text for p in message.paragraphs for r in p.runs)


def test_boxed_warning_origin_and_its_one_exception(doc):
    sd = safety_of(doc)
    notes = " ".join(sd.boxed_warning_notes)
    assert "except delgocitinib cream" in notes
    assert "ORAL Surveillance" in notes and "≥ 50 y" in notes and "TNF inhibitor" in notes
    assert "1 Sept 2021" in notes
    exception = FACTS["safety"]["boxed_warning_exception"].replace("_", " ")
    assert exception in notes
    safety_notes = doc.section("safety").notes
    assert "≥ 50" in safety_notes and "TNF inhibitor" in safety_notes and "delgocitinib cream" in safety_notes
    assert "older patients" not in safety_notes
    assert len(sd.boxed_warning) == len(FACTS["safety"]["us_boxed_warning_items"])


def test_eu_restrictions_name_the_drugs_and_the_rule(doc):
    text = " ".join(safety_of(doc).eu_restrictions).lower()
    for drug in FACTS["safety"]["eu_article20_2023"]["applies_to"]:
        assert drug in text
    for word in ("≥ 65 y", "smoker", "cardiovascular", "cancer", "suitable alternative", "vte", "lower doses"):
        assert word.lower() in text, word


BASELINE_WORDS = {  # fact-sheet check → words the content must use for it
    "latent_TB": ["TB"], "viral_hepatitis": ["hepatitis"], "CBC": ["blood count"], "liver_enzymes": ["liver"],
    "lipids_followup": ["Lipids"], "pregnancy_status": ["pregnancy"], "vaccinations_update": ["vaccines"],
    "herpes_zoster_vaccination_no_live_vaccines": ["zoster", "no live vaccines"],
    "CYP2C9_genotype_deuruxolitinib": ["CYP2C9", "deuruxolitinib"],
    "platelets_abrocitinib": ["Platelets", "abrocitinib"],
}


def test_pre_treatment_checks_cover_the_fact_sheet(doc):
    sd = safety_of(doc)
    checks = sd.baseline_checks + sd.monitoring
    assert set(BASELINE_WORDS) == set(FACTS["safety"]["baseline_checks"])
    for check, words in BASELINE_WORDS.items():
        assert any(all(w.lower() in item.lower() for w in words) for item in checks), check


def test_wording_claims(doc):
    points = [p.text for s in doc.sections for p in s.points]
    assert not any("taken by mouth" in p for p in points)
    assert any("topical" in p for p in points)
    jak = doc.section("jak-inhibitors").notes
    assert "every cytokine" not in jak and "dose-dependent" in jak and "relative" in jak
    ad = doc.section("atopic-dermatitis").notes
    assert "JAK1 with JAK3 or TYK2" not in ad
    il13 = [s for s in re.split(r"(?<=\.) ", ad) if "IL-13" in s]
    assert any("TYK2" in s for s in il13) and not any("JAK3" in s and "never" not in s and "Only IL-4" not in s
                                                      for s in il13)
    comparison = {a: (lt, rt) for a, lt, rt in doc.section("comparison").of("table")[0].rows}
    assert "IL-13: JAK1 + TYK2" in comparison["JAK-STAT"][0]
    assert "not US" in comparison["Approved oral JAKi"][0]


CITED = {  # as published: first author, journal year;volume:pages
    "Guttman-Yassky E": "Lancet 2021;397:2151-2168", "Bieber T": "N Engl J Med 2021;384:1101-1112",
    "Xing L": "Nat Med 2014;20:1043-1049", "King B, et al. Two": "N Engl J Med 2022;386:1687-1699",
    "King B, et al. Efficacy": "Lancet 2023;401:1518-1529", "Ytterberg SR": "N Engl J Med 2022;386:316-326",
}


def test_references_are_complete(doc):
    texts = [r.text for _, b in doc.blocks("references") for r in b.items]
    for author, where in CITED.items():
        hits = [t for t in texts if t.startswith(author)]
        assert len(hits) == 1 and hits[0].endswith(where + "."), (author, hits)
    for t in texts:
        assert re.search(r" \d{4};\d+:\d+-\d+\.$", t), t
