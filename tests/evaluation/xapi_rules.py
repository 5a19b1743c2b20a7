"""The xAPI 1.0.3 statement rules (xAPI-Data.md, part two: 2.2, 2.4.1-2.4.7, 4.1-4.6) as checks.

``problems(statement)`` lists every rule a statement breaks, citing the spec's section. Written from the
spec's text, independently of the exporter, so that the test does not check the exporter against itself.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                  "version", "attachments"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
CONTEXT_TYPES = {"parent", "grouping", "category", "other"}
# 4.6 ISO 8601 durations: PnYnMnDTnHnMnS or PnW
DURATION = re.compile(r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?D)?"
                      r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$|^P\d+W$")
# RFC 5646 language tag (the common shape: language[-script][-region])
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|\d{3}))?(-[a-zA-Z0-9]{5,8})*$")


def is_iri(value) -> bool:
    """An absolute IRI: a scheme, then something (RFC 3987); no spaces."""
    return isinstance(value, str) and bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", value))


def is_irl(value) -> bool:
    """An IRL: an IRI that is also a locator (http or https here)."""
    return is_iri(value) and urlsplit(value).scheme in ("http", "https") and bool(urlsplit(value).netloc)


def is_uuid(value) -> bool:
    """4.5 UUID: RFC 4122, hyphenated, the RFC 4122 variant."""
    try:
        parsed = uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return str(parsed) == value.lower() and parsed.variant == uuid.RFC_4122


def is_timestamp(value) -> bool:
    """4.5 ISO 8601 timestamp; SHOULD carry a time zone (we require it)."""
    if not isinstance(value, str):
        return False
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None


def _language_map(where: str, value, out: list):
    if not isinstance(value, dict) or not value:
        out.append(f"{where}: a Language Map (4.2) must be an object of tags to strings")
        return
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(tag) or not isinstance(text, str):
            out.append(f"{where}: {tag!r} is not an RFC 5646 tag with a string (4.2)")


def _extensions(where: str, value, out: list):
    if not isinstance(value, dict):
        out.append(f"{where}: extensions must be an object (4.1)")
        return
    for key in value:
        if not is_iri(key):
            out.append(f"{where}: extension key {key!r} is not an IRI (4.1)")


def _agent(where: str, agent, out: list):
    if not isinstance(agent, dict):
        out.append(f"{where}: an Agent must be an object (2.4.2)")
        return
    if agent.get("objectType", "Agent") != "Agent":
        out.append(f"{where}: objectType must be Agent (2.4.2.1)")
    ifis = [k for k in IFIS if k in agent]
    if len(ifis) != 1:
        out.append(f"{where}: exactly one Inverse Functional Identifier, got {ifis} (2.4.2.1)")
    if "account" in agent:
        account = agent["account"]
        if not (isinstance(account, dict) and is_irl(account.get("homePage")) and isinstance(account.get("name"), str)
                and account.get("name")):
            out.append(f"{where}: an account needs homePage (an IRL) and name (2.4.2.4)")
    if "mbox" in agent and not str(agent["mbox"]).startswith("mailto:"):
        out.append(f"{where}: mbox must be a mailto IRI (2.4.2.3)")


def _activity(where: str, activity, out: list):
    if not isinstance(activity, dict):
        out.append(f"{where}: an Activity must be an object (2.4.4.1)")
        return
    if activity.get("objectType", "Activity") != "Activity":
        out.append(f"{where}: objectType must be Activity (2.4.4.1)")
    if not is_iri(activity.get("id")):
        out.append(f"{where}: an Activity's id must be an IRI (2.4.4.1)")
    definition = activity.get("definition")
    if definition is not None:
        for key in ("name", "description"):
            if key in definition:
                _language_map(f"{where}.definition.{key}", definition[key], out)
        if "type" in definition and not is_iri(definition["type"]):
            out.append(f"{where}: definition.type must be an IRI (2.4.4.1)")
        if "extensions" in definition:
            _extensions(f"{where}.definition", definition["extensions"], out)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _result(result, out: list):
    if not isinstance(result, dict):
        out.append("result: must be an object (2.4.5)")
        return
    unknown = set(result) - {"score", "success", "completion", "response", "duration", "extensions"}
    if unknown:
        out.append(f"result: unknown properties {sorted(unknown)} (2.4.5)")
    for flag in ("success", "completion"):
        if flag in result and not isinstance(result[flag], bool):
            out.append(f"result.{flag} must be a Boolean (2.4.5)")
    if "duration" in result and not (isinstance(result["duration"], str) and DURATION.match(result["duration"])):
        out.append(f"result.duration {result['duration']!r} is not an ISO 8601 duration (4.6)")
    if "extensions" in result:
        _extensions("result", result["extensions"], out)
    score = result.get("score")
    if score is None:
        return
    if not isinstance(score, dict) or set(score) - {"scaled", "raw", "min", "max"}:
        out.append("result.score: only scaled, raw, min, max (2.4.5.1)")
        return
    for key in score:
        if not _number(score[key]):
            out.append(f"result.score.{key} must be a decimal number (2.4.5.1)")
            return
    if "scaled" in score and not -1 <= score["scaled"] <= 1:
        out.append(f"result.score.scaled {score['scaled']} outside [-1, 1] (2.4.5.1)")
    if "min" in score and "max" in score and not score["min"] < score["max"]:
        out.append("result.score: min must be less than max (2.4.5.1)")
    if "raw" in score:
        if "min" in score and score["raw"] < score["min"] or "max" in score and score["raw"] > score["max"]:
            out.append("result.score.raw must be between min and max, inclusive (2.4.5.1)")


def _context(context, object_is_activity: bool, out: list):
    if not isinstance(context, dict):
        out.append("context: must be an object (2.4.6)")
        return
    if "registration" in context and not is_uuid(context["registration"]):
        out.append("context.registration must be a UUID (2.4.6, 4.5)")
    for key in ("revision", "platform"):
        if key in context and not object_is_activity:
            out.append(f"context.{key} only when the Object is an Activity (2.4.6)")
    if "language" in context and not LANGUAGE_TAG.match(str(context["language"])):
        out.append("context.language must be an RFC 5646 tag (2.4.6)")
    activities = context.get("contextActivities", {})
    for key, value in activities.items():
        if key not in CONTEXT_TYPES:
            out.append(f"context.contextActivities: {key!r} is not parent, grouping, category or other (2.4.6.2)")
        for i, activity in enumerate(value if isinstance(value, list) else [value]):
            _activity(f"context.contextActivities.{key}[{i}]", activity, out)
    if "extensions" in context:
        _extensions("context", context["extensions"], out)
    if "instructor" in context:
        _agent("context.instructor", context["instructor"], out)


def problems(statement: dict, now: datetime | None = None) -> list[str]:
    out: list[str] = []
    unknown = set(statement) - STATEMENT_KEYS
    if unknown:
        out.append(f"unknown statement properties {sorted(unknown)} (2.2)")
    for required in ("actor", "verb", "object"):
        if required not in statement:
            out.append(f"missing {required} (2.2: actor, verb and object are required)")
    if "id" in statement and not is_uuid(statement["id"]):
        out.append("id must be a UUID (2.4.1)")
    if "actor" in statement:
        _agent("actor", statement["actor"], out)
    verb = statement.get("verb")
    if verb is not None:
        if not isinstance(verb, dict) or not is_iri(verb.get("id")):
            out.append("verb.id must be an IRI (2.4.3)")
        elif "display" in verb:
            _language_map("verb.display", verb["display"], out)
    obj = statement.get("object")
    if obj is not None:
        _activity("object", obj, out)
    if "result" in statement:
        _result(statement["result"], out)
    if "context" in statement:
        _context(statement["context"], isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity", out)
    if "timestamp" in statement:
        if not is_timestamp(statement["timestamp"]):
            out.append("timestamp must be an ISO 8601 timestamp with a time zone (2.4.7, 4.5)")
        elif datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00")) > (
                now or datetime.now(timezone.utc)):
            out.append("timestamp must not be in the future (2.4.7)")
    if "version" in statement and not re.match(r"^1\.0(\.\d+)?$", str(statement["version"])):
        out.append("version must be 1.0.x (2.4.10)")
    if "stored" in statement or "authority" in statement:
        out.append("stored and authority are set by the LRS (2.4.8, 2.4.9)")
    return out
