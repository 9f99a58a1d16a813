"""The risk model as versioned data: load a TOML model and refuse a wrong one, naming the line and the indicator."""
from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .evaluate import ANSWER_PREFIX, GRAPH_FACTS, PROCUREMENT_FACTS
from .indicators import PARAM_KINDS, RULES, RuleCall

SEVERITIES = ("exclusion", "high", "medium", "low")
SUBJECTS = ("organisation", "person", "contract")
# The version shipped as the default. Released versions stay in models/ unchanged (an assessment names the
# version and SHA-256 it used); a change of meaning is a new file and a new version, never an edit.
DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "model-v2.toml"
DEFAULT_MAX_INSUFFICIENT_SHARE = 0.5
_ID = re.compile(r"^[A-Z]{2}-\d{2}$")
_CODE = re.compile(r"^\d[\d.]*$")
_INDICATOR_KEYS = frozenset({"id", "name", "description", "subject", "severity", "weight", "legal_basis", "facts",
                             "rule", "question", "with_key_persons"})
# Names in these namespaces come from the app (PROCUREMENT_FACTS, GRAPH_FACTS) or from questions, never from a check.
_APP_NAMESPACES = frozenset(name.split(".", 1)[0] for name in (*PROCUREMENT_FACTS, *GRAPH_FACTS, ANSWER_PREFIX))
_PREFIX_SOURCES = ("risk_industry.cpv_prefixes", "risk_industry.sni_prefixes")


class ModelError(ValueError):
    """A model that cannot be used; each line of the message names the TOML line, the indicator and the reason."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Swedish and English."""

    sv: str
    en: str

    def get(self, language: str) -> str:
        """The text in ``language`` ("sv" or "en"); Swedish for any other."""
        return self.en if language == "en" else self.sv


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Scores from which a deepened check and a joint review are required; the tolerated share of unknowns."""

    deepened: float
    joint_review: float
    max_insufficient_share: float = DEFAULT_MAX_INSUFFICIENT_SHARE


@dataclass(frozen=True, slots=True)
class RiskIndustry:
    """Risk-exposed industries (CPV and SNI prefixes), the score multiplier and the indicator that marks them."""

    multiplier: float
    cpv_prefixes: tuple[str, ...]
    sni_prefixes: tuple[str, ...]
    indicator: str | None = None


@dataclass(frozen=True, slots=True)
class Indicator:
    """One risk indicator: what it means, what it reads and how its rule decides."""

    id: str
    name: Text
    description: Text
    subject: str
    severity: str
    weight: float
    legal_basis: str
    facts: tuple[str, ...]
    rule: RuleCall
    question: Text | None = None
    with_key_persons: bool = False
    line: int = 0

    @property
    def answer_fact(self) -> str | None:
        """The fact holding the officer's answer to this indicator's question, if it has one."""
        own = ANSWER_PREFIX + self.id
        return own if own in self.facts else None


@dataclass(frozen=True)
class Model:
    """A published version of the risk-indicator model (riskbedömningsmodell)."""

    version: str
    published: str
    thresholds: Thresholds
    severity_weights: Mapping[str, float]
    risk_industry: RiskIndustry
    indicators: tuple[Indicator, ...]
    sha256: str

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id (KeyError if the model has none)."""
        return {i.id: i for i in self.indicators}[indicator_id]

    @property
    def automatic(self) -> tuple[Indicator, ...]:
        """Indicators decided from facts alone, without an officer's answer to a question."""
        return tuple(i for i in self.indicators if i.question is None)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


class _Lines:
    """Line numbers of tables, keys and indicators in the TOML text (tomllib gives none)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.blocks = [n for n, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*indicators\s*\]\]", line)]

    def key(self, table: str, key: str) -> int:
        """The line of ``key`` in ``[table]`` ("" for the top level), else of the table's header, else 1."""
        start = next((n for n, line in enumerate(self.lines) if re.match(rf"\s*\[\s*{re.escape(table)}\s*\]", line)),
                     None) if table else -1
        if start is None:
            return 1
        for n in range(start + 1, len(self.lines)):
            if self.lines[n].lstrip().startswith("["):
                break
            if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[n]):
                return n + 1
        return start + 1 if start >= 0 else 1

    def indicator(self, index: int) -> int:
        """The line of the ``id`` of the index-th [[indicators]] (tomllib keeps their order), else its header."""
        if index >= len(self.blocks):
            return 1
        end = self.blocks[index + 1] if index + 1 < len(self.blocks) else len(self.lines)
        return 1 + next((n for n in range(self.blocks[index], end) if re.match(r"\s*id\s*=", self.lines[n])),
                        self.blocks[index])


class _Loader:
    def __init__(self, text: str, known_facts: Iterable[str] | None) -> None:
        self.lines = _Lines(text)
        self.known = None if known_facts is None else frozenset(known_facts)
        self.errors: list[str] = []
        self.prefixes: dict[str, tuple[str, ...]] = {}

    def fail(self, where: str, reason: str) -> None:
        self.errors.append(f"{where}: {reason}")

    def at(self, table: str, key: str) -> str:
        return f"line {self.lines.key(table, key)}, [{table}]" if table else f"line {self.lines.key('', key)}"

    def text(self, value: Any, where: str, key: str) -> Text | None:
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k].strip()
                                                  for k in ("sv", "en")):
            self.fail(where, f"{key} must have non-empty sv and en texts")
            return None
        return Text(value["sv"].strip(), value["en"].strip())

    def model(self, data: dict[str, Any], sha256: str) -> Model:
        for key in ("version", "published"):
            if not isinstance(data.get(key), str) or not data[key]:
                self.fail(self.at("", key), f"{key} must be a non-empty string")
        try:
            date.fromisoformat(str(data.get("published")))
        except ValueError:
            self.fail(self.at("", "published"), "published must be a date (YYYY-MM-DD)")
        thresholds = self.thresholds(data.get("thresholds"))
        weights = self.weights(data.get("severity_weights"))
        industry = self.industry(data.get("risk_industry"))
        raw = data.get("indicators")
        if not isinstance(raw, list) or not raw:
            self.fail("line 1", "the model has no [[indicators]]")
            raw = []
        indicators = self.indicators(raw, weights)
        if industry.indicator and industry.indicator not in {i.id for i in indicators}:
            self.fail(self.at("risk_industry", "indicator"), f'no indicator "{industry.indicator}"')
        if self.errors:
            raise ModelError(self.errors)
        return Model(data["version"], data["published"], thresholds, weights, industry, tuple(indicators), sha256)

    def number(self, table: str, raw: Mapping[str, Any], key: str, valid: Callable[[float], bool], words: str,
               default: float | None = None) -> float:
        value = raw.get(key, default)
        if not _number(value) or not valid(value):
            self.fail(self.at(table, key), f"{key} must be {words}, not {value!r}")
            return 1.0
        return float(value)

    def thresholds(self, raw: Any) -> Thresholds:
        raw = raw if isinstance(raw, dict) else {}
        deepened, joint = (self.number("thresholds", raw, key, lambda v: v > 0, "a positive number")
                           for key in ("deepened", "joint_review"))
        if deepened >= joint:
            self.fail(self.at("thresholds", "deepened"),
                      f"deepened ({deepened:g}) must be below joint_review ({joint:g})")
        share = self.number("thresholds", raw, "max_insufficient_share", lambda v: 0 < v <= 1,
                            "a share above 0 and at most 1", DEFAULT_MAX_INSUFFICIENT_SHARE)
        return Thresholds(deepened, joint, share)

    def weights(self, raw: Any) -> dict[str, float]:
        raw = raw if isinstance(raw, dict) else {}
        for key in sorted(set(raw) - {"high", "medium", "low"}):
            self.fail(self.at("severity_weights", key), f'"{key}" cannot be weighted (only high, medium, low)')
        weights = {key: self.number("severity_weights", raw, key, lambda v: v > 0, "a positive number")
                   for key in ("high", "medium", "low")}
        return {"exclusion": 0.0, **weights}  # exclusion opens an exclusion assessment; never part of the sum

    def industry(self, raw: Any) -> RiskIndustry:
        raw = raw if isinstance(raw, dict) else {}
        multiplier = self.number("risk_industry", raw, "multiplier", lambda v: v >= 1, "a number of at least 1")
        words, valid = _KINDS["prefixes"]
        for key in ("cpv_prefixes", "sni_prefixes"):
            if not valid(raw.get(key)):
                self.fail(self.at("risk_industry", key), f"{key} must be {words}")
            self.prefixes[f"risk_industry.{key}"] = tuple(raw[key]) if valid(raw.get(key)) else ()
        marker = raw.get("indicator")
        if marker is not None and not isinstance(marker, str):
            self.fail(self.at("risk_industry", "indicator"), "indicator must be an indicator id")
        return RiskIndustry(multiplier, self.prefixes["risk_industry.cpv_prefixes"],
                            self.prefixes["risk_industry.sni_prefixes"], marker if isinstance(marker, str) else None)

    def indicators(self, raw: list[Any], weights: Mapping[str, float]) -> list[Indicator]:
        seen: dict[str, int] = {}
        out = []
        for index, item in enumerate(raw):
            line = self.lines.indicator(index)
            ident = item.get("id") if isinstance(item, dict) else None
            where = f"line {line}, indicator {ident if isinstance(ident, str) else f'#{index + 1}'}"
            if not isinstance(item, dict) or not isinstance(ident, str) or not _ID.match(ident):
                self.fail(where, f"id must look like \"EX-01\", not {ident!r}")
                continue
            if ident in seen:
                self.fail(where, f"duplicate id (first defined on line {seen[ident]})")
                continue
            seen[ident] = line
            indicator = self.indicator(item, where, line, weights)
            if indicator:
                out.append(indicator)
        return out

    def indicator(self, item: dict[str, Any], where: str, line: int,
                  weights: Mapping[str, float]) -> Indicator | None:
        before = len(self.errors)
        for key in sorted(set(item) - _INDICATOR_KEYS):
            self.fail(where, f'unknown key "{key}"')
        name = self.text(item.get("name"), where, "name")
        description = self.text(item.get("description"), where, "description")
        question = self.text(item["question"], where, "question") if "question" in item else None
        subject, severity = item.get("subject"), item.get("severity")
        if subject not in SUBJECTS:
            self.fail(where, f"unknown subject {subject!r} (one of {', '.join(SUBJECTS)})")
        if severity not in SEVERITIES:
            self.fail(where, f"unknown severity {severity!r} (one of {', '.join(SEVERITIES)})")
        if not isinstance(item.get("legal_basis"), str) or not item["legal_basis"].strip():
            self.fail(where, "legal_basis must be a non-empty string")
        weight = item.get("weight", weights.get(str(severity), 0.0))
        if not _number(weight) or weight < 0:
            self.fail(where, f"weight must be a number of at least 0, not {weight!r}")
        elif "weight" in item and severity == "exclusion":
            self.fail(where, "an exclusion indicator is not weighted: it opens an exclusion assessment")
        with_persons = item.get("with_key_persons", False)
        if not isinstance(with_persons, bool) or (with_persons and subject != "organisation"):
            self.fail(where, "with_key_persons must be true or false, and only for subject \"organisation\"")
        facts = item.get("facts")
        if not isinstance(facts, list) or not facts or not all(isinstance(f, str) for f in facts):
            self.fail(where, "facts must be a non-empty list of fact names")
            facts = []
        for fact in facts:
            self.check_fact(fact, item["id"], where)
        rule = self.rule(item.get("rule"), where)
        read = rule.facts() if rule else tuple(facts)
        for fact in (f for f in read if f not in facts):
            self.fail(where, f'the rule reads "{fact}", which is not listed in facts')
        for fact in (f for f in facts if f not in read):
            self.fail(where, f'fact "{fact}" is listed but the rule does not read it')
        answers = [f for f in facts if f.startswith(ANSWER_PREFIX)]
        if answers and question is None:
            self.fail(where, f'reads "{answers[0]}" but has no question')
        if question is not None and not answers:
            self.fail(where, f'has a question but does not read its answer "{ANSWER_PREFIX}{item["id"]}"')
        if answers and (subject == "person" or with_persons):
            self.fail(where, "questions are answered per case: a person indicator cannot read answers")
        if len(self.errors) > before or rule is None:
            return None
        return Indicator(item["id"], name, description, subject, severity, float(weight),  # type: ignore[arg-type]
                         item["legal_basis"].strip(), tuple(facts), rule, question, with_persons, line)

    def check_fact(self, fact: str, ident: str, where: str) -> None:
        if fact.startswith(ANSWER_PREFIX):
            if fact != ANSWER_PREFIX + ident:
                self.fail(where, f'answer fact "{fact}" belongs to another indicator (use "{ANSWER_PREFIX}{ident}")')
            return
        if fact in PROCUREMENT_FACTS or fact in GRAPH_FACTS:
            return
        namespace = fact.split(".", 1)[0]
        unknown = namespace in _APP_NAMESPACES or "." not in fact if self.known is None else fact not in self.known
        if unknown:
            self.fail(where, f'unknown fact "{fact}"')

    def rule(self, raw: Any, where: str) -> RuleCall | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            self.fail(where, "rule must be a table with a name")
            return None
        name = raw["name"]
        spec = RULES.get(name)
        if spec is None:
            self.fail(where, f'unknown rule "{name}" (one of {", ".join(sorted(RULES))})')
            return None
        raw = dict(raw)
        source = raw.pop("prefixes_from", None)
        if source is not None:
            if "prefixes" not in spec.required or source not in _PREFIX_SOURCES or "prefixes" in raw:
                self.fail(where, f'rule {name}: prefixes_from must be one of {", ".join(_PREFIX_SOURCES)}, '
                                 f'instead of prefixes')
                return None
            raw["prefixes"] = list(self.prefixes.get(source) or ())
        before = len(self.errors)
        for param in sorted(set(raw) - {"name"} - set(spec.required) - set(spec.optional)):
            self.fail(where, f'rule {name}: unknown parameter "{param}"')
        params: dict[str, Any] = {}
        for param, kind in {**spec.required, **spec.optional}.items():
            if param in raw:  # a wrong value is reported by param(), a wrong nested rule by rule()
                params[param] = self.param(raw[param], kind, where, f'rule {name}: parameter "{param}"')
            elif param in spec.required:
                self.fail(where, f'rule {name}: missing parameter "{param}" ({kind})')
        return RuleCall(name, params) if len(self.errors) == before else None

    def param(self, value: Any, kind: str, where: str, what: str) -> Any:
        words, valid = _KINDS[kind]
        if not valid(value):
            self.fail(where, f"{what} must be {words}, not {value!r}")
            return None
        if kind == "rules":
            nested = [self.rule(v, where) for v in value]
            return tuple(nested) if all(nested) else None  # the nested rule has said what is wrong
        if kind == "table":
            return {str(k): tuple(v) for k, v in value.items()}
        return float(value) if kind == "number" else tuple(value) if isinstance(value, list) else value


def _list_of(value: Any, valid: Callable[[Any], bool]) -> bool:
    return isinstance(value, list) and bool(value) and all(valid(v) for v in value)


def _code(value: Any) -> bool:
    return isinstance(value, str) and bool(_CODE.match(value))


_KINDS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "fact": ("a fact name", lambda v: isinstance(v, str) and bool(v)),
    "facts": ("a non-empty list of fact names", lambda v: _list_of(v, lambda f: isinstance(f, str) and bool(f))),
    "number": ("a number", _number),
    "value": ("a text, number or boolean", _scalar),
    "values": ("a non-empty list of texts, numbers or booleans", lambda v: _list_of(v, _scalar)),
    "prefixes": ('a non-empty list of codes like "45"', lambda v: _list_of(v, _code)),
    "rules": ("a non-empty list of rules", lambda v: _list_of(v, lambda r: isinstance(r, dict))),
    "table": ("a table of code prefix = [codes]",
              lambda v: isinstance(v, dict) and bool(v) and all(_list_of(c, _code) for c in v.values())),
}
assert set(_KINDS) == set(PARAM_KINDS)


def load_model(source: str | Path, known_facts: Iterable[str] | None = None) -> Model:
    """Load and validate a model from a path or from TOML text (a string with a line break is text).

    ``known_facts`` are the finding codes of the app's checks; a fact the model reads must be one of them, a
    procurement or graph fact (``evaluate.PROCUREMENT_FACTS``, ``evaluate.GRAPH_FACTS``) or the indicator's own
    ``answer.<id>``. Without ``known_facts`` only the app's and the answers' namespaces are checked.
    Raises ModelError naming the line and the indicator of every problem.
    """
    if isinstance(source, Path) or "\n" not in source:
        text = Path(source).read_text(encoding="utf-8")
    else:
        text = source
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError([f"not valid TOML: {exc}"]) from exc
    return _Loader(text, known_facts).model(data, hashlib.sha256(text.encode("utf-8")).hexdigest())


def load_default_model(known_facts: Iterable[str] | None = None) -> Model:
    """The model shipped with the app as the default (DEFAULT_MODEL)."""
    return load_model(DEFAULT_MODEL, known_facts)
