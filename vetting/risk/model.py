"""The risk model as versioned data: load a TOML model and refuse a wrong one, naming the line and the indicator."""
from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .evaluate import ANSWER_PREFIX, GRAPH_FACTS, PROCUREMENT_FACTS
from .indicators import PARAM_KINDS, RULES, RuleCall

SEVERITIES = ("exclusion", "high", "medium", "low")
SUBJECTS = ("organisation", "person", "contract")
DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "model-v1.toml"
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
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

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
        if index >= len(self.blocks):
            return 1
        start = self.blocks[index]
        end = self.blocks[index + 1] if index + 1 < len(self.blocks) else len(self.lines)
        found = next((n for n in range(start, end) if re.match(r"\s*id\s*=", self.lines[n])), start)
        return found + 1


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

    def thresholds(self, raw: Any) -> Thresholds:
        raw = raw if isinstance(raw, dict) else {}
        values = {}
        for key in ("deepened", "joint_review"):
            value = raw.get(key)
            if not _number(value) or value <= 0:
                self.fail(self.at("thresholds", key), f"{key} must be a positive number, not {value!r}")
                value = 1.0
            values[key] = float(value)
        if values["deepened"] >= values["joint_review"]:
            self.fail(self.at("thresholds", "deepened"),
                      f"deepened ({values['deepened']:g}) must be below joint_review ({values['joint_review']:g})")
        share = raw.get("max_insufficient_share", DEFAULT_MAX_INSUFFICIENT_SHARE)
        if not _number(share) or not 0 < share <= 1:
            self.fail(self.at("thresholds", "max_insufficient_share"),
                      f"max_insufficient_share must be a share above 0 and at most 1, not {share!r}")
            share = DEFAULT_MAX_INSUFFICIENT_SHARE
        return Thresholds(values["deepened"], values["joint_review"], float(share))

    def weights(self, raw: Any) -> dict[str, float]:
        raw = raw if isinstance(raw, dict) else {}
        weights = {"exclusion": 0.0}  # exclusion opens an exclusion assessment; it is never part of the sum
        for key in raw:
            if key not in ("high", "medium", "low"):
                self.fail(self.at("severity_weights", key), f'"{key}" cannot be weighted (only high, medium, low)')
        for key in ("high", "medium", "low"):
            value = raw.get(key)
            if not _number(value) or value <= 0:
                self.fail(self.at("severity_weights", key), f"{key} must be a positive number, not {value!r}")
                value = 1.0
            weights[key] = float(value)
        return weights

    def industry(self, raw: Any) -> RiskIndustry:
        raw = raw if isinstance(raw, dict) else {}
        multiplier = raw.get("multiplier")
        if not _number(multiplier) or multiplier < 1:
            self.fail(self.at("risk_industry", "multiplier"), f"multiplier must be a number of at least 1, not "
                                                                 f"{multiplier!r}")
            multiplier = 1.0
        for key in ("cpv_prefixes", "sni_prefixes"):
            codes = raw.get(key)
            if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and _CODE.match(c)
                                                                   for c in codes):
                self.fail(self.at("risk_industry", key), f"{key} must be a non-empty list of codes like \"45\"")
                codes = []
            self.prefixes[f"risk_industry.{key}"] = tuple(codes)
        marker = raw.get("indicator")
        if marker is not None and not isinstance(marker, str):
            self.fail(self.at("risk_industry", "indicator"), "indicator must be an indicator id")
            marker = None
        return RiskIndustry(float(multiplier), self.prefixes["risk_industry.cpv_prefixes"],
                            self.prefixes["risk_industry.sni_prefixes"], marker)

    def indicators(self, raw: list[Any], weights: Mapping[str, float]) -> list[Indicator]:
        seen: dict[str, int] = {}
        out = []
        for index, item in enumerate(raw):
            line = self.lines.indicator(index)
            ident = item.get("id") if isinstance(item, dict) else None
            where = f"line {line}, indicator {ident}" if isinstance(ident, str) else \
                f"line {line}, indicator #{index + 1}"
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
        if rule is not None:
            read = rule.facts()
            for fact in read:
                if fact not in facts:
                    self.fail(where, f'the rule reads "{fact}", which is not listed in facts')
            for fact in facts:
                if fact not in read:
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
        params: dict[str, Any] = {}
        ok = True
        for param in sorted(set(raw) - {"name"} - set(spec.required) - set(spec.optional)):
            self.fail(where, f'rule {name}: unknown parameter "{param}"')
            ok = False
        for param, kind in {**spec.required, **spec.optional}.items():
            if param not in raw:
                if param in spec.required:
                    self.fail(where, f'rule {name}: missing parameter "{param}" ({kind})')
                    ok = False
                continue
            value = self.param(raw[param], kind, f"{where}", f"rule {name}: parameter \"{param}\"")
            if value is None:
                ok = False
            params[param] = value
        return RuleCall(name, params) if ok else None

    def param(self, value: Any, kind: str, where: str, what: str) -> Any:
        assert kind in PARAM_KINDS, kind
        if kind == "fact" and isinstance(value, str) and value:
            return value
        if kind == "number" and _number(value):
            return float(value)
        if kind == "value" and _scalar(value):
            return value
        if kind in ("facts", "values", "prefixes", "rules") and isinstance(value, list) and value:
            if kind == "facts" and all(isinstance(v, str) and v for v in value):
                return tuple(value)
            if kind == "values" and all(_scalar(v) for v in value):
                return tuple(value)
            if kind == "prefixes" and all(isinstance(v, str) and _CODE.match(v) for v in value):
                return tuple(value)
            if kind == "rules":
                nested = [self.rule(v, where) for v in value]
                return tuple(nested) if all(nested) else None  # the nested rule has said what is wrong
        if kind == "table" and isinstance(value, dict) and value and all(
                isinstance(v, list) and v and all(isinstance(c, str) and _CODE.match(c) for c in v)
                for v in value.values()):
            return {str(k): tuple(v) for k, v in value.items()}
        self.fail(where, f"{what} must be {_KIND_WORDS[kind]}, not {value!r}")
        return None


_KIND_WORDS = {"fact": "a fact name", "facts": "a non-empty list of fact names", "number": "a number",
               "value": "a text, number or boolean", "values": "a non-empty list of texts, numbers or booleans",
               "prefixes": "a non-empty list of codes like \"45\"", "rules": "a non-empty list of rules",
               "table": "a table of code prefix = [codes]"}


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
    """The model shipped with the app (models/model-v1.toml)."""
    return load_model(DEFAULT_MODEL, known_facts)
